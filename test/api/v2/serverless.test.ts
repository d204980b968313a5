import { describe, expect, it } from 'vitest'
import { BOOT, RTX_4090, serverlessSuite } from '../../helpers/serverless.js'

describe('/v2/serverless', () => {
  const s = serverlessSuite()
  const { create, get, patch, workers, releases } = s

  it('creates a GPU endpoint (201) from inline container settings with v2’s defaults', async () => {
    const endpoint = await create()
    expect(endpoint).toEqual({
      id: expect.stringMatching(/^[a-z0-9]{14}$/),
      name: 'inference',
      type: 'QUEUE',
      requestUrls: {
        run: `https://api.runpod.ai/v2/${endpoint.id}/run`,
        runSync: `https://api.runpod.ai/v2/${endpoint.id}/runsync`,
        status: `https://api.runpod.ai/v2/${endpoint.id}/status/%7Bjob_id%7D`,
        stream: `https://api.runpod.ai/v2/${endpoint.id}/stream/%7Bjob_id%7D`,
        cancel: `https://api.runpod.ai/v2/${endpoint.id}/cancel/%7Bjob_id%7D`,
        retry: `https://api.runpod.ai/v2/${endpoint.id}/retry/%7Bjob_id%7D`,
        purgeQueue: `https://api.runpod.ai/v2/${endpoint.id}/purge-queue`,
        health: `https://api.runpod.ai/v2/${endpoint.id}/health`,
      },
      image: 'me/worker:1',
      args: '',
      disk: 20,
      ports: [],
      env: {},
      registry: null,
      gpu: { pools: ['ADA_24'], count: 1, allowedCudaVersions: [], minCudaVersion: null },
      workers: { min: 0, max: 3, idleTimeout: 10 },
      scaling: { type: 'QUEUE_DELAY', queueDelay: 4 },
      dataCenterIds: expect.arrayContaining(['US-TX-3', 'EU-RO-1']),
      networkVolumes: [],
      timeout: 300000,
      flashboot: 'OFF',
      createdAt: '2026-01-01T00:00:00.000Z',
    })
    expect(endpoint.cpu).toBeUndefined()
    expect((await get(endpoint.id)).body).toEqual(endpoint)
  })

  it('creates an endpoint from a template: its settings seed the body, explicit fields win, env merges', async () => {
    const template = await s.t.request('POST', '/v2/templates', {
      key: s.alice,
      body: {
        name: 'vllm-worker',
        image: 'me/vllm:1',
        args: 'python handler.py',
        disk: 40,
        ports: ['8000/http'],
        env: { MODEL: 'a', KEEP: '1' },
        serverless: true,
        allowedCudaVersions: ['12.8'],
      },
    })
    expect(template.status).toBe(201)
    const endpoint = await create({
      image: undefined,
      templateId: template.body.id,
      disk: 60,
      env: { MODEL: 'b' },
      workers: { min: 1, max: 2, idleTimeout: 30 },
      flashboot: 'FLASHBOOT',
      timeout: 60_000,
    })
    expect(endpoint).toMatchObject({
      image: 'me/vllm:1',
      args: 'python handler.py',
      disk: 60,
      ports: ['8000/http'],
      env: { MODEL: 'b', KEEP: '1' },
      gpu: { pools: ['ADA_24'], allowedCudaVersions: ['12.8'], minCudaVersion: null },
      workers: { min: 1, max: 2, idleTimeout: 30 },
      flashboot: 'FLASHBOOT',
      timeout: 60_000,
    })
    // Later edits of the template do not reach the endpoint (v2 resolves it once, at create).
    await s.t.request('PATCH', `/v2/templates/${template.body.id}`, {
      key: s.alice,
      body: { image: 'me/vllm:2' },
    })
    expect((await get(endpoint.id)).body.image).toBe('me/vllm:1')
    expect((await releases(endpoint.id)).releases).toHaveLength(1)
  })

  it('creates a CPU endpoint and a load balancer', async () => {
    const cpu = await create({ gpu: undefined, cpu: [{ id: 'cpu3c', vcpuCount: 4 }] })
    expect(cpu.cpu).toEqual([{ id: 'cpu3c', vcpuCount: 4, memory: 8 }])
    expect(cpu.gpu).toBeUndefined()
    const lb = await create({ type: 'LOAD_BALANCER', scaling: { type: 'REQUEST_COUNT', requestCount: 10 } })
    expect(lb.requestUrls).toEqual({
      base: `https://${lb.id}.api.runpod.ai`,
      health: `https://${lb.id}.api.runpod.ai/ping`,
    })
    expect(lb.scaling).toEqual({ type: 'REQUEST_COUNT', requestCount: 10 })
  })

  it('lists the caller’s endpoints and nobody else’s', async () => {
    const a = await create({ name: 'a' })
    const b = await create({ name: 'b' })
    await create({ name: 'bobs' }, s.bob)
    const res = await s.t.request('GET', '/v2/serverless', { key: s.alice })
    expect(res.status).toBe(200)
    expect(res.body.endpoints.map((e: { id: string }) => e.id).sort()).toEqual([a.id, b.id].sort())
    expect(res.body.endpoints.find((e: { id: string }) => e.id === a.id)).toEqual(a)
    expect((await s.t.request('GET', '/v2/serverless', { key: s.bob })).body.endpoints).toHaveLength(1)
  })

  it('changes scaling and worker bounds at once, without a new release', async () => {
    const endpoint = await create({ workers: { min: 0, max: 3 } })
    const res = await patch(endpoint.id, {
      name: 'renamed',
      workers: { min: 1, max: 5 },
      scaling: { type: 'REQUEST_COUNT', requestCount: 3 },
      timeout: 120_000,
      flashboot: 'PRIORITY_FLASHBOOT',
    })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toEqual({
      ...endpoint,
      name: 'renamed',
      // Idle timeouts do not apply to a queue scaled on request count: v2 leaves it out.
      workers: { min: 1, max: 5 },
      scaling: { type: 'REQUEST_COUNT', requestCount: 3 },
      timeout: 120_000,
      flashboot: 'PRIORITY_FLASHBOOT',
    })
    expect((await get(endpoint.id)).body).toEqual(res.body)
    const empty = await patch(endpoint.id, {})
    expect(empty.status).toBe(200)
    expect(empty.body).toEqual(res.body)
    const history = await releases(endpoint.id)
    expect(history.endpointVersion).toBe(0)
    expect(history.releases).toHaveLength(1)
    expect(history.releases[0]).toMatchObject({ version: 0, source: 'MANUAL', diff: [] })
  })

  it('starts a new release when the container or the GPUs change, newest first', async () => {
    const endpoint = await create({ workers: { min: 1, max: 3 } })
    s.t.clock.advance(BOOT)
    const [first] = (await workers(endpoint.id)).workers
    expect(first).toMatchObject({ version: 0, image: 'me/worker:1', status: 'IDLE' })

    s.t.clock.advance(60_000)
    const image = await patch(endpoint.id, { image: 'me/worker:2', env: { A: '1' } })
    expect(image.status, JSON.stringify(image.body)).toBe(200)
    expect(image.body).toMatchObject({ image: 'me/worker:2', env: { A: '1' } })
    s.t.clock.advance(60_000)
    const gpu = await patch(endpoint.id, {
      gpu: { count: 2, pools: ['ADA_24'], excludedTypes: ['NVIDIA L4'] },
    })
    expect(gpu.status, JSON.stringify(gpu.body)).toBe(200)
    expect(gpu.body.gpu).toMatchObject({ pools: ['ADA_24'], excludedTypes: ['NVIDIA L4'], count: 2 })

    const history = await releases(endpoint.id)
    expect(history.endpointVersion).toBe(2)
    expect(history.releases.map((r: { version: number }) => r.version)).toEqual([2, 1, 0])
    expect(history.releases[0].diff).toEqual(
      expect.arrayContaining([
        { field: 'gpuCount', old: 1, new: 2 },
        { field: 'gpuTypeIds', old: ['NVIDIA L4', RTX_4090], new: [RTX_4090] },
      ]),
    )
    expect(history.releases[1].diff).toEqual(
      expect.arrayContaining([
        { field: 'template.imageName', old: 'me/worker:1', new: 'me/worker:2' },
        { field: 'template.env', old: {}, new: { A: '1' } },
      ]),
    )
    expect(history.releases.every((r: { createdByUserId: string }) => r.createdByUserId === 'alice')).toBe(
      true,
    )
    expect(Date.parse(history.releases[0].createdAt)).toBeGreaterThan(
      Date.parse(history.releases[1].createdAt),
    )

    // The old worker is replaced by one of the latest release.
    const now = (await workers(endpoint.id)).workers
    expect(now).toHaveLength(1)
    expect(now[0]).toMatchObject({ version: 2, isStale: false, gpuCount: 2, image: 'me/worker:2' })
    expect(now[0].id).not.toBe(first.id)
    expect(history.rollout).toEqual({
      inProgress: false,
      workersOnLatest: 1,
      workersTotal: 1,
      percentOnLatest: 100,
    })
  })

  it('applies a template on PATCH once: its settings under the body’s, env replaced by the merge', async () => {
    const endpoint = await create({ env: { OLD: '1' }, disk: 30 })
    const template = await s.t.request('POST', '/v2/templates', {
      key: s.alice,
      body: { name: 'next-worker', image: 'me/next:1', env: { T: 't', X: 'template' }, serverless: true },
    })
    const res = await patch(endpoint.id, { templateId: template.body.id, env: { X: 'body' } })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body).toMatchObject({ image: 'me/next:1', env: { T: 't', X: 'body' }, disk: 50 })
    expect((await releases(endpoint.id)).endpointVersion).toBe(1)
    await s.t.request('PATCH', `/v2/templates/${template.body.id}`, {
      key: s.alice,
      body: { image: 'me/next:2' },
    })
    expect((await get(endpoint.id)).body.image).toBe('me/next:1')
    const pod = await s.t.request('POST', '/v2/templates', {
      key: s.alice,
      body: { name: 'pod-only', image: 'x' },
    })
    expect((await patch(endpoint.id, { templateId: pod.body.id })).status).toBe(422)
  })

  it('creates an endpoint from an official template', async () => {
    const endpoint = await create({ image: undefined, templateId: 'runpod-worker-vllm' })
    expect(endpoint).toMatchObject({
      image: 'runpod/worker-v1-vllm:v2.8.0stable-cuda12.1.0',
      env: { MODEL_NAME: 'Qwen/Qwen3-8B', MAX_MODEL_LEN: '32768' },
      registry: null,
    })
  })

  it('does not start a release for a PATCH that restates what the endpoint runs', async () => {
    const endpoint = await create({ env: { A: '1' }, gpu: { pools: ['ADA_24'], count: 1 } })
    const res = await patch(endpoint.id, {
      image: 'me/worker:1',
      env: { A: '1' },
      gpu: { count: 1 },
      dataCenterIds: endpoint.dataCenterIds,
    })
    expect(res.status).toBe(200)
    expect(res.body).toEqual(endpoint)
    expect((await releases(endpoint.id)).releases).toHaveLength(1)
  })

  it('patches GPU selection and CUDA constraints as v2 describes', async () => {
    const endpoint = await create({
      gpu: { pools: ['ADA_24'], excludedTypes: [' NVIDIA L4'], minCudaVersion: '12.4' },
    })
    expect(endpoint.gpu).toEqual({
      pools: ['ADA_24'],
      excludedTypes: ['NVIDIA L4'],
      count: 1,
      allowedCudaVersions: [],
      minCudaVersion: '12.4',
    })
    // Changing only CUDA keeps the pinned selection; setting a set beside the floor is refused.
    expect((await patch(endpoint.id, { gpu: { allowedCudaVersions: ['12.8'] } })).status).toBe(400)
    const swapped = await patch(endpoint.id, { gpu: { allowedCudaVersions: ['12.8'], minCudaVersion: '' } })
    expect(swapped.status, JSON.stringify(swapped.body)).toBe(200)
    expect(swapped.body.gpu).toEqual({
      pools: ['ADA_24'],
      excludedTypes: ['NVIDIA L4'],
      count: 1,
      allowedCudaVersions: ['12.8'],
      minCudaVersion: null,
    })
    // Pools without exclusions replace the selection wholesale.
    const widened = await patch(endpoint.id, {
      gpu: { pools: ['ADA_24', 'AMPERE_48'], allowedCudaVersions: [] },
    })
    expect(widened.body.gpu).toEqual({
      pools: ['ADA_24', 'AMPERE_48'],
      count: 1,
      allowedCudaVersions: [],
      minCudaVersion: null,
    })
    expect((await releases(endpoint.id)).releases.map((r: { version: number }) => r.version)).toEqual([
      2, 1, 0,
    ])
  })

  it('keeps a registry credential the caller owns and refuses another’s', async () => {
    const own = await s.t.request('POST', '/v2/registries', {
      key: s.alice,
      body: { name: 'hub', username: 'u', password: 'p' },
    })
    const bobs = await s.t.request('POST', '/v2/registries', {
      key: s.bob,
      body: { name: 'hub', username: 'u', password: 'p' },
    })
    const endpoint = await create({ registry: own.body.id })
    expect(endpoint.registry).toBe(own.body.id)
    expect((await patch(endpoint.id, { registry: bobs.body.id })).status).toBe(404)
    const cleared = await patch(endpoint.id, { registry: null })
    expect(cleared.body.registry).toBeNull()
  })

  it('answers 405 with Allow for a method the path does not take', async () => {
    const endpoint = await create()
    for (const [method, url, allow] of [
      ['PUT', `/v2/serverless/${endpoint.id}`, 'PATCH'],
      ['DELETE', '/v2/serverless', 'POST'],
      ['POST', `/v2/serverless/${endpoint.id}/workers`, 'GET'],
      ['DELETE', `/v2/serverless/${endpoint.id}/releases`, 'GET'],
      ['POST', `/v2/serverless/${endpoint.id}/workers/abc/logs`, 'GET'],
    ] as const) {
      const res = await s.t.request(method, url, { key: s.alice, body: {} })
      expect(res.status, `${method} ${url}`).toBe(405)
      expect(res.headers.allow).toContain(allow)
    }
  })

  it('documents the worker log stream in the served OpenAPI', async () => {
    const doc = (await s.t.request('GET', '/v2/openapi.json')).body
    const op = doc.paths['/v2/serverless/{id}/workers/{workerId}/logs']?.get
    expect(op).toMatchObject({
      operationId: 'getWorkerLogs',
      responses: { 200: { content: { 'text/event-stream': { schema: { type: 'string' } } } } },
    })
    const params = op.parameters.map((p: { in: string; name: string }) => `${p.in}:${p.name}`)
    expect(params).toEqual(
      expect.arrayContaining([
        'path:id',
        'path:workerId',
        'query:source',
        'query:tail',
        'query:since',
        'header:last-event-id',
      ]),
    )
  })

  it('applies concurrent PATCHes of different fields without losing any', async () => {
    const endpoint = await create({ workers: { min: 0, max: 3 } })
    const results = await Promise.all([
      patch(endpoint.id, { name: 'renamed' }),
      patch(endpoint.id, { workers: { max: 7 } }),
      patch(endpoint.id, { timeout: 90_000 }),
      patch(endpoint.id, { flashboot: 'FLASHBOOT' }),
      patch(endpoint.id, { image: 'me/worker:2' }),
      patch(endpoint.id, { gpu: { count: 2 } }),
    ])
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200])
    expect((await get(endpoint.id)).body).toMatchObject({
      name: 'renamed',
      workers: { min: 0, max: 7 },
      timeout: 90_000,
      flashboot: 'FLASHBOOT',
      image: 'me/worker:2',
      gpu: { count: 2 },
    })
    const versions = (await releases(endpoint.id)).releases.map((r: { version: number }) => r.version)
    expect(versions).toEqual([2, 1, 0])
  })
})
