import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { expectAllocationsConsistent } from '../helpers/invariants.js'
import { cpuMachine, machine } from '../helpers/machines.js'

describe('/v1/endpoints', () => {
  let t: TestApp
  let alice: string
  let bob: string
  beforeEach(async () => {
    t = await createTestApp({
      machines: [
        machine({ id: 'gpu-a', gpu_count: 4 }),
        machine({ id: 'gpu-b', gpu_count: 2, data_center_id: 'EU-RO-1' }),
        cpuMachine({ id: 'cpu-a', cpu_flavor_id: 'cpu3c' }),
      ],
    })
    alice = await t.key('alice')
    bob = await t.key('bob')
  })
  afterEach(async () => {
    await expectAllocationsConsistent(t.db)
    await t.close()
  })

  const create = (body: Record<string, unknown>, key = alice) =>
    t.request('POST', '/v1/endpoints', { key, body })
  const workers = async (endpointId: string, key = alice) =>
    (await t.request('GET', `/v1/pods?includeWorkers=true&endpointId=${endpointId}`, { key })).body as any[]

  it('creates an endpoint (200) with RunPod’s defaults', async () => {
    const res = await create({ templateId: 'runpod-worker-vllm', name: 'llm' })
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^[a-z0-9]{14}$/),
      name: 'llm',
      userId: 'alice',
      templateId: 'runpod-worker-vllm',
      computeType: 'GPU',
      gpuCount: 1,
      idleTimeout: 5,
      scalerType: 'QUEUE_DELAY',
      scalerValue: 4,
      workersMin: 0,
      workersMax: 3,
      executionTimeoutMs: 600000,
      version: 0,
      env: { MODEL_NAME: 'Qwen/Qwen3-8B', MAX_MODEL_LEN: '32768' },
    })
    expect((await t.request('GET', `/v1/endpoints/${res.body.id}`, { key: alice })).body).toEqual(res.body)
    expect((await t.request('GET', '/v1/endpoints', { key: alice })).body).toEqual([res.body])
  })

  it('keeps workersMin workers alive as pods carrying the endpoint id, hidden from plain lists', async () => {
    const res = await create({
      templateId: 'runpod-worker-vllm',
      workersMin: 2,
      workersMax: 4,
      gpuTypeIds: ['NVIDIA GeForce RTX 4090'],
    })
    const live = await workers(res.body.id)
    expect(live).toHaveLength(2)
    for (const w of live)
      expect(w).toMatchObject({
        endpointId: res.body.id,
        aiApiId: res.body.id,
        image: 'runpod/worker-v1-vllm:v2.8.0stable-cuda12.1.0',
        slsVersion: 0,
      })
    expect((await t.request('GET', '/v1/pods', { key: alice })).body).toEqual([])
    const withWorkers = await t.request(
      'GET',
      `/v1/endpoints/${res.body.id}?includeWorkers=true&includeTemplate=true`,
      { key: alice },
    )
    expect(withWorkers.body.workers.map((w: any) => w.id).sort()).toEqual(live.map((w) => w.id).sort())
    expect(withWorkers.body.template).toMatchObject({ id: 'runpod-worker-vllm', isServerless: true })
    // A worker is not a plain pod: GET by id needs includeWorkers.
    expect((await t.request('GET', `/v1/pods/${live[0].id}`, { key: alice })).status).toBe(404)
    expect(
      (await t.request('GET', `/v1/pods/${live[0].id}?includeWorkers=true`, { key: alice })).status,
    ).toBe(200)
  })

  it('scales workers with updates and rolls out a release when what they run changes', async () => {
    const id = (await create({ templateId: 'runpod-worker-vllm', workersMin: 1 })).body.id
    const [first] = await workers(id)
    const renamed = await t.request('PATCH', `/v1/endpoints/${id}`, {
      key: alice,
      body: { name: 'renamed', workersMin: 3 },
    })
    expect(renamed.body).toMatchObject({ name: 'renamed', workersMin: 3, version: 0 })
    expect((await workers(id)).map((w) => w.id)).toContain(first.id)
    expect(await workers(id)).toHaveLength(3)
    const released = await t.request('POST', `/v1/endpoints/${id}/update`, {
      key: alice,
      body: { gpuCount: 2, workersMin: 1 },
    })
    expect(released.body).toMatchObject({ version: 1, gpuCount: 2 })
    const after = await workers(id)
    expect(after).toHaveLength(1)
    expect(after[0]).toMatchObject({ slsVersion: 1, gpu: { count: 2 } })
    expect(after[0].id).not.toBe(first.id)
  })

  it('rolls out a release when the endpoint’s template changes', async () => {
    const template = await t.request('POST', '/v1/templates', {
      key: alice,
      body: { name: 'w', imageName: 'me/worker:1', isServerless: true },
    })
    const id = (await create({ templateId: template.body.id, workersMin: 1 })).body.id
    await t.request('PATCH', `/v1/templates/${template.body.id}`, {
      key: alice,
      body: { imageName: 'me/worker:2' },
    })
    expect((await t.request('GET', `/v1/endpoints/${id}`, { key: alice })).body.version).toBe(1)
    const [worker] = await workers(id)
    expect(worker).toMatchObject({ image: 'me/worker:2', slsVersion: 1 })
  })

  it('runs CPU endpoints on CPU hosts and names their instance shapes', async () => {
    const res = await create({
      templateId: 'runpod-worker-comfyui',
      computeType: 'CPU',
      cpuFlavorIds: ['cpu3c'],
      vcpuCount: 4,
      workersMin: 1,
    })
    expect(res.body).toMatchObject({ computeType: 'CPU', instanceIds: ['cpu3c-4-8'] })
    const [worker] = await workers(res.body.id)
    expect(worker).toMatchObject({ machineId: 'cpu-a', vcpuCount: 4, cpuFlavorId: 'cpu3c' })
  })

  it('starts what fits and fills the rest when capacity frees up', async () => {
    const id = (await create({ templateId: 'runpod-worker-vllm', workersMin: 8, workersMax: 8 })).body.id
    expect(await workers(id)).toHaveLength(6)
    const blocker = (await workers(id))[0]
    await t.request('DELETE', `/v1/pods/${blocker.id}?includeWorkers=true`, { key: alice })
    await t.ctx.endpoints.reconcileAll()
    expect(await workers(id)).toHaveLength(6)
  })

  it('removes workers with the endpoint (204)', async () => {
    const id = (await create({ templateId: 'runpod-worker-vllm', workersMin: 2 })).body.id
    expect((await t.request('DELETE', `/v1/endpoints/${id}`, { key: alice })).status).toBe(204)
    expect(await workers(id)).toEqual([])
    expect((await t.request('GET', `/v1/endpoints/${id}`, { key: alice })).status).toBe(404)
    const gpus = await t.db.selectFrom('machines').select('gpu_used').execute()
    expect(gpus.every((m) => m.gpu_used === 0)).toBe(true)
  })

  it('keeps endpoints private', async () => {
    const id = (await create({ templateId: 'runpod-worker-vllm', workersMin: 1 })).body.id
    expect((await t.request('GET', '/v1/endpoints', { key: bob })).body).toEqual([])
    for (const [method, url, body] of [
      ['GET', `/v1/endpoints/${id}`, undefined],
      ['PATCH', `/v1/endpoints/${id}`, { workersMin: 0 }],
      ['POST', `/v1/endpoints/${id}/update`, { workersMin: 0 }],
      ['DELETE', `/v1/endpoints/${id}`, undefined],
    ] as const) {
      const res = await t.request(method, url, { key: bob, body })
      expect(res.status).toBe(404)
      expect(res.body.error).toBe('endpoint not found')
    }
    expect(await workers(id, bob)).toEqual([])
    expect(await workers(id)).toHaveLength(1)
  })

  it.each([
    [{}, 'body templateId is required'],
    [{ templateId: 'runpod-torch-v240' }, 'is a pod template, not a serverless one'],
    [{ templateId: 'nope' }, 'templateId: template nope not found'],
    [
      { templateId: 'runpod-worker-vllm', workersMin: 5, workersMax: 2 },
      'workersMin must not exceed workersMax',
    ],
    [
      { templateId: 'runpod-worker-vllm', gpuTypeIds: ['NVIDIA GeForce RTX 9999'] },
      'gpuTypeIds: unknown value',
    ],
    [{ templateId: 'runpod-worker-vllm', idleTimeout: 0 }, 'idleTimeout must be >= 1'],
    [{ templateId: 'runpod-worker-vllm', scalerType: 'MAGIC' }, 'scalerType must be one of'],
    [{ templateId: 'runpod-worker-vllm', networkVolumeId: 'nope' }, 'network volume nope not found'],
  ])('refuses %j with 400', async (body, message) => {
    const res = await create(body)
    expect(res.status).toBe(400)
    expect(res.body.error).toContain(message)
    expect(await t.db.selectFrom('endpoints').selectAll().execute()).toEqual([])
  })
})
