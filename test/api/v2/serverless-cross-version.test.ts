import { describe, expect, it } from 'vitest'
import { RTX_4090, serverlessSuite } from '../../helpers/serverless.js'

describe('/v2/serverless and /v1/endpoints: one endpoint, two wire formats', () => {
  const s = serverlessSuite()
  const { create, get, patch, workers, releases } = s

  it('shows a v1 endpoint in v2 and applies v2 changes seen back in v1', async () => {
    const template = await s.t.request('POST', '/v1/templates', {
      key: s.alice,
      body: { name: 'w', imageName: 'me/worker:1', isServerless: true, env: { A: '1' } },
    })
    const v1 = await s.t.request('POST', '/v1/endpoints', {
      key: s.alice,
      body: {
        name: 'from-v1',
        templateId: template.body.id,
        gpuTypeIds: [RTX_4090],
        workersMin: 1,
        workersMax: 2,
        scalerType: 'REQUEST_COUNT',
        scalerValue: 2,
      },
    })
    expect(v1.status).toBe(200)
    const id = v1.body.id
    const v2 = await get(id)
    expect(v2.status).toBe(200)
    expect(v2.body).toMatchObject({
      id,
      name: 'from-v1',
      type: 'QUEUE',
      image: 'me/worker:1',
      env: { A: '1' },
      gpu: { pools: ['ADA_24'], excludedTypes: ['NVIDIA L4'], count: 1 },
      workers: { min: 1, max: 2 },
      scaling: { type: 'REQUEST_COUNT', requestCount: 2 },
      timeout: 600000,
    })
    expect((await workers(id)).summary.total).toBe(1)
    expect((await s.t.request('GET', '/v2/serverless', { key: s.alice })).body.endpoints).toEqual([v2.body])

    const patched = await patch(id, {
      name: 'from-v2',
      workers: { min: 0, max: 4 },
      gpu: { count: 2 },
      env: { B: '2' },
    })
    expect(patched.status, JSON.stringify(patched.body)).toBe(200)
    const back = await s.t.request('GET', `/v1/endpoints/${id}?includeTemplate=true`, { key: s.alice })
    expect(back.body).toMatchObject({
      name: 'from-v2',
      workersMin: 0,
      workersMax: 4,
      gpuCount: 2,
      gpuTypeIds: [RTX_4090],
      version: 1,
      env: { B: '2' },
    })
    // The shared template stays as it was: the endpoint got one of its own.
    expect(back.body.templateId).not.toBe(template.body.id)
    const shared = await s.t.request('GET', `/v1/templates/${template.body.id}`, { key: s.alice })
    expect(shared.body.env).toEqual({ A: '1' })

    // Deleting it (via v1) takes its own template along and leaves the shared one.
    expect((await s.t.request('DELETE', `/v1/endpoints/${id}`, { key: s.alice })).status).toBe(204)
    expect((await get(id)).status).toBe(404)
    const left = (await s.t.request('GET', '/v2/templates', { key: s.alice })).body.templates
    expect(left.map((x: { id: string }) => x.id)).toEqual([template.body.id])
  })

  it('keeps what v2 cannot express (entrypoint, volume path) when v2 changes a v1 endpoint’s container', async () => {
    const template = await s.t.request('POST', '/v1/templates', {
      key: s.alice,
      body: {
        name: 'entry',
        imageName: 'me/worker:1',
        isServerless: true,
        dockerEntrypoint: ['/bin/sh', '-c'],
        dockerStartCmd: ['serve'],
        volumeMountPath: '/models',
        category: 'AMD',
      },
    })
    expect(template.status, JSON.stringify(template.body)).toBe(200)
    const v1 = await s.t.request('POST', '/v1/endpoints', {
      key: s.alice,
      body: { templateId: template.body.id },
    })
    const res = await patch(v1.body.id, { image: 'me/worker:2' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ image: 'me/worker:2', args: 'serve' })
    const back = await s.t.request('GET', `/v1/endpoints/${v1.body.id}?includeTemplate=true`, {
      key: s.alice,
    })
    expect(back.body.template).toMatchObject({
      imageName: 'me/worker:2',
      dockerEntrypoint: ['/bin/sh', '-c'],
      dockerStartCmd: ['serve'],
      volumeMountPath: '/models',
      category: 'AMD',
      isServerless: true,
    })
    const fromTemplate = await create({ image: undefined, templateId: template.body.id })
    const own = await s.t.request('GET', `/v1/endpoints/${fromTemplate.id}?includeTemplate=true`, {
      key: s.alice,
    })
    expect(own.body.templateId).not.toBe(template.body.id)
    expect(own.body.template).toMatchObject({
      dockerEntrypoint: ['/bin/sh', '-c'],
      dockerStartCmd: ['serve'],
    })
  })

  it('keeps a v2 load balancer scaling on requests when v1 changes it', async () => {
    const lb = await create({ type: 'LOAD_BALANCER', scaling: { type: 'REQUEST_COUNT', requestCount: 5 } })
    const v1 = await s.t.request('GET', `/v1/endpoints/${lb.id}`, { key: s.alice })
    expect(v1.body).toMatchObject({ scalerType: 'REQUEST_COUNT', scalerValue: 5 })
    const refused = await s.t.request('PATCH', `/v1/endpoints/${lb.id}`, {
      key: s.alice,
      body: { scalerType: 'QUEUE_DELAY' },
    })
    expect(refused.status).toBe(400)
    expect(refused.body.error).toContain('LOAD_BALANCER')
    const fine = await s.t.request('PATCH', `/v1/endpoints/${lb.id}`, {
      key: s.alice,
      body: { scalerValue: 9 },
    })
    expect(fine.status).toBe(200)
    expect((await get(lb.id)).body).toMatchObject({
      type: 'LOAD_BALANCER',
      scaling: { type: 'REQUEST_COUNT', requestCount: 9 },
    })
  })

  it('deletes a v1 endpoint via v2 and keeps the template it shared', async () => {
    const template = await s.t.request('POST', '/v1/templates', {
      key: s.alice,
      body: { name: 'shared', imageName: 'me/worker:1', isServerless: true },
    })
    const v1 = await s.t.request('POST', '/v1/endpoints', {
      key: s.alice,
      body: { templateId: template.body.id, workersMin: 1 },
    })
    expect((await s.t.request('DELETE', `/v2/serverless/${v1.body.id}`, { key: s.alice })).status).toBe(204)
    expect((await s.t.request('GET', `/v1/endpoints/${v1.body.id}`, { key: s.alice })).status).toBe(404)
    expect((await s.t.request('GET', `/v1/templates/${template.body.id}`, { key: s.alice })).status).toBe(200)
    const pods = await s.t.request('GET', '/v1/pods?includeWorkers=true', { key: s.alice })
    expect(pods.body).toEqual([])
  })

  it('shows a v2 endpoint in v1 and applies v1 changes seen back in v2', async () => {
    const endpoint = await create({
      name: 'from-v2',
      gpu: { pools: ['ADA_24'], count: 2, minCudaVersion: '12.4' },
      env: { K: 'v' },
      workers: { min: 0, max: 2, idleTimeout: 15 },
    })
    const v1 = await s.t.request('GET', `/v1/endpoints/${endpoint.id}`, { key: s.alice })
    expect(v1.status).toBe(200)
    expect(v1.body).toMatchObject({
      id: endpoint.id,
      name: 'from-v2',
      computeType: 'GPU',
      gpuCount: 2,
      gpuTypeIds: expect.arrayContaining(['NVIDIA L4', RTX_4090]),
      minCudaVersion: '12.4',
      idleTimeout: 15,
      workersMin: 0,
      workersMax: 2,
      scalerType: 'QUEUE_DELAY',
      scalerValue: 4,
      executionTimeoutMs: 300000,
      env: { K: 'v' },
      version: 0,
    })
    expect(
      (await s.t.request('GET', '/v1/endpoints', { key: s.alice })).body.map((e: { id: string }) => e.id),
    ).toEqual([endpoint.id])

    const changed = await s.t.request('PATCH', `/v1/endpoints/${endpoint.id}`, {
      key: s.alice,
      body: { name: 'via-v1', workersMin: 1, gpuTypeIds: [RTX_4090], scalerValue: 8 },
    })
    expect(changed.status, JSON.stringify(changed.body)).toBe(200)
    const back = (await get(endpoint.id)).body
    expect(back).toMatchObject({
      name: 'via-v1',
      workers: { min: 1, max: 2 },
      gpu: { pools: ['ADA_24'], excludedTypes: ['NVIDIA L4'], count: 2 },
      scaling: { type: 'QUEUE_DELAY', queueDelay: 8 },
      image: 'me/worker:1',
    })
    expect((await releases(endpoint.id)).releases.map((r: { version: number }) => r.version)).toEqual([1, 0])
    expect((await workers(endpoint.id)).workers).toHaveLength(1)
  })
})
