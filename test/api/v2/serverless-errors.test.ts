import { describe, expect, it } from 'vitest'
import { ENDPOINT_BODY, serverlessSuite } from '../../helpers/serverless.js'

describe('/v2/serverless: refusals', () => {
  const s = serverlessSuite()
  const { create, get, patch, workers, releases, logs } = s

  it('hides another user’s endpoint behind a 404 for every verb', async () => {
    const hidden = await create({ workers: { min: 1, max: 1 } }, s.bob)
    const [worker] = (await workers(hidden.id, s.bob)).workers
    for (const [method, url, body] of [
      ['GET', `/v2/serverless/${hidden.id}`, undefined],
      ['PATCH', `/v2/serverless/${hidden.id}`, { name: 'mine' }],
      ['DELETE', `/v2/serverless/${hidden.id}`, undefined],
      ['GET', `/v2/serverless/${hidden.id}/workers`, undefined],
      ['GET', `/v2/serverless/${hidden.id}/releases`, undefined],
    ] as const) {
      const res = await s.t.request(method, url, { key: s.alice, body })
      expect(res.status, `${method} ${url}`).toBe(404)
      expect(res.body.detail).toBe('endpoint not found')
    }
    expect((await logs(hidden.id, worker.id)).status).toBe(404)
    expect((await get(hidden.id, s.bob)).body).toEqual(hidden)
    expect((await workers(hidden.id, s.bob)).summary.total).toBe(1)
  })

  it.each([
    ['no name', { name: undefined }, "$: missing property 'name'"],
    ['no type', { type: undefined }, "$: missing property 'type'"],
    ['no scaling', { scaling: undefined }, "$: missing property 'scaling'"],
    ['no image and no template', { image: undefined }, "$: missing property 'image'"],
    ['a v1 field', { imageName: 'x' }, "$: additional properties 'imageName' not allowed"],
    ['an unknown type', { type: 'BATCH' }, '$.type: must be one of QUEUE, LOAD_BALANCER'],
    ['negative workers', { workers: { min: -1 } }, '$.workers.min: must be >= 0'],
    [
      'an unknown worker field',
      { workers: { minimum: 1 } },
      "$.workers: additional properties 'minimum' not allowed",
    ],
    ['gpu without pools', { gpu: { count: 1 } }, "$.gpu: missing property 'pools'"],
    ['a timeout below a second', { timeout: 10 }, '$.timeout: must be >= 1000'],
    ['a disk that is no integer', { disk: 'big' }, '$.disk: must be integer'],
  ])('refuses a body with %s with 422 naming the field', async (_case, change, error) => {
    const res = await s.t.request('POST', '/v2/serverless', {
      key: s.alice,
      body: { ...ENDPOINT_BODY, ...change },
    })
    expect(res.status).toBe(422)
    expect(res.body.errors.join('\n')).toContain(error)
  })

  it('refuses a load balancer scaling on queue delay with 422', async () => {
    const res = await s.t.request('POST', '/v2/serverless', {
      key: s.alice,
      body: {
        name: 'lb',
        type: 'LOAD_BALANCER',
        scaling: { type: 'QUEUE_DELAY', queueDelay: 4 },
        image: 'x',
        gpu: { pools: ['ADA_24'] },
      },
    })
    expect(res.status).toBe(422)
    expect(res.body.errors.join('\n')).toContain('$.scaling')
  })

  it('refuses unknown fields and wrong types on PATCH with 422', async () => {
    const endpoint = await create()
    const unknown = await patch(endpoint.id, { workersMin: 1 })
    expect(unknown.status).toBe(422)
    expect(unknown.body.errors).toEqual(["$: additional properties 'workersMin' not allowed"])
    const types = await patch(endpoint.id, { workers: { max: 'many' }, flashboot: true })
    expect(types.status).toBe(422)
    expect(types.body.errors.join('\n')).toContain('$.workers.max: must be integer')
    expect(types.body.errors.join('\n')).toContain('$.flashboot')
    const exclusions = await patch(endpoint.id, { gpu: { excludedTypes: ['NVIDIA L4'] } })
    expect(exclusions.status).toBe(422)
    expect((await get(endpoint.id)).body).toEqual(endpoint)
  })

  it.each([
    ['an unknown pool', { gpu: { pools: ['TPU_V5'] } }, 'gpu.pools: unknown pool "TPU_V5"'],
    [
      'an exclusion outside the pools',
      { gpu: { pools: ['ADA_24'], excludedTypes: ['NVIDIA H100 PCIe'] } },
      'gpu.excludedTypes: "NVIDIA H100 PCIe" is not a GPU type in gpu.pools',
    ],
    [
      'an unknown GPU type excluded',
      { gpu: { pools: ['ADA_24'], excludedTypes: ['NVIDIA RTX 9999'] } },
      'gpu.excludedTypes: "NVIDIA RTX 9999" is not a GPU type in gpu.pools',
    ],
    ['neither gpu nor cpu', { gpu: undefined }, 'set exactly one of gpu or cpu'],
    ['both gpu and cpu', { cpu: [{ id: 'cpu3c', vcpuCount: 2 }] }, 'set exactly one of gpu or cpu'],
    [
      'an unknown CPU flavor',
      { gpu: undefined, cpu: [{ id: 'cpu9z', vcpuCount: 2 }] },
      'cpu: unknown CPU flavor "cpu9z"',
    ],
    [
      'a CUDA set beside a floor',
      { gpu: { pools: ['ADA_24'], allowedCudaVersions: ['12.8'], minCudaVersion: '12.4' } },
      'mutually exclusive',
    ],
    [
      'an unknown CUDA version',
      { gpu: { pools: ['ADA_24'], allowedCudaVersions: ['99.9'] } },
      'gpu: unknown CUDA version "99.9"',
    ],
    ['min above max', { workers: { min: 4, max: 2 } }, 'workers.min must not exceed workers.max'],
    ['an unknown data center', { dataCenterIds: ['MOON-1'] }, 'dataCenterIds: unknown data center "MOON-1"'],
    ['a malformed port', { ports: ['http'] }, 'ports: "http" is not a port'],
    [
      'an idle timeout on a queue scaling on requests',
      { scaling: { type: 'REQUEST_COUNT', requestCount: 2 }, workers: { idleTimeout: 5 } },
      'workers.idleTimeout: does not apply',
    ],
  ])('refuses %s with 400 and writes nothing', async (_case, change, detail) => {
    const res = await s.t.request('POST', '/v2/serverless', {
      key: s.alice,
      body: { ...ENDPOINT_BODY, ...change },
    })
    expect(res.status, JSON.stringify(res.body)).toBe(400)
    expect(res.body.detail).toContain(detail)
    expect((await s.t.request('GET', '/v2/serverless', { key: s.alice })).body.endpoints).toEqual([])
    expect((await s.t.request('GET', '/v2/templates', { key: s.alice })).body.templates).toEqual([])
  })

  it('refuses an unknown or another user’s template with 404 and a pod template with 422, as v2 states', async () => {
    const bobs = await s.t.request('POST', '/v2/templates', {
      key: s.bob,
      body: { name: 'bob-worker', image: 'x', serverless: true },
    })
    const pod = await s.t.request('POST', '/v2/templates', {
      key: s.alice,
      body: { name: 'pod-tpl', image: 'x' },
    })
    for (const templateId of ['nope', bobs.body.id]) {
      const res = await s.t.request('POST', '/v2/serverless', {
        key: s.alice,
        body: {
          name: 'x',
          type: 'QUEUE',
          scaling: { type: 'QUEUE_DELAY', queueDelay: 4 },
          templateId,
          gpu: { pools: ['ADA_24'] },
        },
      })
      expect(res.status, templateId).toBe(404)
      expect(res.body.detail).toBe('template not found')
    }
    const res = await s.t.request('POST', '/v2/serverless', {
      key: s.alice,
      body: {
        name: 'x',
        type: 'QUEUE',
        scaling: { type: 'QUEUE_DELAY', queueDelay: 4 },
        templateId: pod.body.id,
        gpu: { pools: ['ADA_24'] },
      },
    })
    expect(res.status).toBe(422)
    const endpoint = await create()
    const patched = await patch(endpoint.id, { templateId: 'nope' })
    expect(patched.status).toBe(404)
  })

  it('refuses rule violations on PATCH with 400 and changes nothing', async () => {
    const endpoint = await create({ workers: { min: 1, max: 2 } })
    const cpu = await create({ name: 'cpu', gpu: undefined, cpu: [{ id: 'cpu3c', vcpuCount: 2 }] })
    for (const [id, body, detail] of [
      [endpoint.id, { workers: { min: 3 } }, 'workers.min must not exceed workers.max'],
      [endpoint.id, { gpu: { pools: ['TPU_V5'] } }, 'gpu.pools: unknown pool "TPU_V5"'],
      [endpoint.id, { cpu: [{ id: 'cpu3c', vcpuCount: 2 }] }, 'cpu: this is a GPU endpoint'],
      [cpu.id, { gpu: { count: 2 } }, 'gpu: this is a CPU endpoint'],
      [endpoint.id, { gpu: { minCudaVersion: '12.4', allowedCudaVersions: ['12.8'] } }, 'mutually exclusive'],
    ] as const) {
      const res = await patch(id, body)
      expect(res.status, JSON.stringify(body)).toBe(400)
      expect(res.body.detail).toContain(detail)
    }
    expect((await get(endpoint.id)).body).toEqual(endpoint)
    expect((await releases(endpoint.id)).releases).toHaveLength(1)
  })
})
