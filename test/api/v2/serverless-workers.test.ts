import { describe, expect, it } from 'vitest'
import { BOOT, RTX_4090, serverlessSuite } from '../../helpers/serverless.js'

describe('/v2/serverless workers', () => {
  const s = serverlessSuite()
  const { create, get, patch, workers, logs } = s

  it('keeps workersMin workers that boot and match the endpoint', async () => {
    const endpoint = await create({ workers: { min: 2, max: 3 } })
    const booting = await workers(endpoint.id)
    expect(booting.summary).toEqual({
      running: 0,
      idle: 0,
      initializing: 2,
      throttled: 0,
      unhealthy: 0,
      total: 2,
    })
    expect(booting.endpointVersion).toBe(0)
    for (const w of booting.workers) {
      expect(w).toMatchObject({
        status: 'INITIALIZING',
        isStale: false,
        version: 0,
        gpuCount: 1,
        image: 'me/worker:1',
        uptimeSeconds: null,
        gpuTypeId: RTX_4090,
        dataCenterId: 'US-TX-3',
      })
    }
    s.t.clock.advance(BOOT + 30_000)
    const up = await workers(endpoint.id)
    expect(up.summary).toMatchObject({ idle: 2, initializing: 0, total: 2 })
    expect(up.workers.map((w: { id: string }) => w.id).sort()).toEqual(
      booting.workers.map((w: { id: string }) => w.id).sort(),
    )
    for (const w of up.workers) expect(w).toMatchObject({ status: 'IDLE', uptimeSeconds: 30 })
    expect(up.workers[0].startedAt).toBe('2026-01-01T00:00:00.000Z')

    // Workers are pods carrying the endpoint's id, hidden from plain pod lists.
    expect((await s.t.request('GET', '/v2/pods', { key: s.alice })).body.pods).toEqual([])
    const v1 = await s.t.request('GET', `/v1/pods?includeWorkers=true&endpointId=${endpoint.id}`, {
      key: s.alice,
    })
    expect(v1.body.map((p: { id: string }) => p.id).sort()).toEqual(
      up.workers.map((w: { id: string }) => w.id).sort(),
    )

    expect((await patch(endpoint.id, { workers: { min: 0 } })).status).toBe(200)
    expect((await workers(endpoint.id)).summary.total).toBe(0)
  })

  it('streams a worker’s logs and hides anything that is not one of its workers', async () => {
    const endpoint = await create({ workers: { min: 1, max: 1 }, args: 'python handler.py' })
    const other = await create({ name: 'other', workers: { min: 1, max: 1 } })
    s.t.clock.advance(BOOT)
    const [worker] = (await workers(endpoint.id)).workers
    const res = await logs(endpoint.id, worker.id)
    expect(res.status).toBe(200)
    expect(res.headers).toMatchObject({ 'content-type': 'text/event-stream', 'cache-control': 'no-cache' })
    const lines = res.events.map((e) => e.line)
    expect(lines[0]).toBe(`Pod ${worker.id} scheduled on machine gpu-a in US-TX-3`)
    expect(lines).toEqual(
      expect.arrayContaining(['Pulling image me/worker:1', '$ python handler.py', 'Container is ready']),
    )
    const system = await logs(endpoint.id, worker.id, '&source=system&tail=1')
    expect(system.events).toHaveLength(1)
    expect(system.events[0]!.source).toBe('system')

    const [otherWorker] = (await workers(other.id)).workers
    const pod = await s.t.request('POST', '/v2/pods', {
      key: s.alice,
      body: { name: 'plain', image: 'x', gpu: { id: RTX_4090 } },
    })
    for (const [id, workerId] of [
      [endpoint.id, 'nope'],
      [endpoint.id, otherWorker.id],
      [endpoint.id, pod.body.id],
      ['nope', worker.id],
    ]) {
      const missing = await logs(id!, workerId!)
      expect(missing.status, `${id}/${workerId}`).toBe(404)
    }
    expect((await logs(endpoint.id, 'nope')).body.detail).toBe('worker not found')
    const bobs = await logs(endpoint.id, worker.id, '', s.bob)
    expect(bobs.status).toBe(404)
    expect((await logs(endpoint.id, worker.id, '&tail=-1')).status).toBe(422)
    const anonymous = await s.t.request('GET', `/v2/serverless/${endpoint.id}/workers/${worker.id}/logs`)
    expect(anonymous.status).toBe(401)
  })

  it('runs CPU workers and replaces them when the CPU selection changes', async () => {
    const endpoint = await create({
      gpu: undefined,
      cpu: [{ id: 'cpu3c', vcpuCount: 2 }],
      workers: { min: 1 },
    })
    s.t.clock.advance(BOOT)
    const [first] = (await workers(endpoint.id)).workers
    expect(first).toMatchObject({ status: 'IDLE', gpuCount: 0, gpuTypeId: null, version: 0 })
    const res = await patch(endpoint.id, { cpu: [{ id: 'cpu3c', vcpuCount: 4 }] })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    expect(res.body.cpu).toEqual([{ id: 'cpu3c', vcpuCount: 4, memory: 8 }])
    const [next] = (await workers(endpoint.id)).workers
    expect(next).toMatchObject({ version: 1, isStale: false })
    expect(next.id).not.toBe(first.id)
    const pod = await s.t.request('GET', `/v1/pods/${next.id}?includeWorkers=true`, { key: s.alice })
    expect(pod.body).toMatchObject({ vcpuCount: 4, endpointId: endpoint.id })
  })

  it('places workers with the endpoint’s network volume and checks volumes against data centers', async () => {
    const volume = await s.t.request('POST', '/v2/network-volumes', {
      key: s.alice,
      body: { name: 'models', size: 50, dataCenter: 'US-TX-3' },
    })
    expect(volume.status, JSON.stringify(volume.body)).toBe(201)
    const endpoint = await create({ networkVolumes: [volume.body.id], workers: { min: 1 } })
    expect(endpoint.networkVolumes).toEqual([volume.body.id])
    const [worker] = (await workers(endpoint.id)).workers
    expect(worker.dataCenterId).toBe('US-TX-3')
    const moved = await patch(endpoint.id, { dataCenterIds: ['EU-RO-1'] })
    expect(moved.status).toBe(400)
    expect(moved.body.detail).toContain('networkVolumes:')
    const unknown = await s.t.request('POST', '/v2/serverless', {
      key: s.alice,
      body: {
        name: 'x',
        type: 'QUEUE',
        scaling: { type: 'QUEUE_DELAY', queueDelay: 4 },
        image: 'x',
        gpu: { pools: ['ADA_24'] },
        networkVolumes: ['nope'],
      },
    })
    expect(unknown.status).toBe(404)
  })

  it('deletes an endpoint (204) with its workers and its own template', async () => {
    const endpoint = await create({ workers: { min: 2, max: 2 } })
    s.t.clock.advance(BOOT)
    const ids = (await workers(endpoint.id)).workers.map((w: { id: string }) => w.id)
    expect(ids).toHaveLength(2)
    const res = await s.t.request('DELETE', `/v2/serverless/${endpoint.id}`, { key: s.alice })
    expect(res.status).toBe(204)
    expect(res.raw).toBe('')
    expect((await get(endpoint.id)).status).toBe(404)
    expect((await s.t.request('GET', `/v2/serverless/${endpoint.id}/workers`, { key: s.alice })).status).toBe(
      404,
    )
    const v1 = await s.t.request('GET', '/v1/pods?includeWorkers=true', { key: s.alice })
    expect(v1.body.filter((p: { id: string }) => ids.includes(p.id))).toEqual([])
    const templates = await s.t.request('GET', '/v2/templates', { key: s.alice })
    expect(templates.body.templates).toEqual([])
    expect((await s.t.request('GET', '/v2/serverless', { key: s.alice })).body.endpoints).toEqual([])
  })

  it('waits for a reconciliation in flight before deleting, so no worker outlives its endpoint', async () => {
    const endpoint = await create({ workers: { min: 1, max: 2 } })
    // Another replica is reconciling this endpoint.
    const lease = `endpoint:${endpoint.id}`
    expect(await s.t.store.leases.acquire(lease, 'other-replica', 60_000, s.t.clock.now())).toBe(true)
    let done = false
    const deleting = s.t.request('DELETE', `/v2/serverless/${endpoint.id}`, { key: s.alice }).finally(() => {
      done = true
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    expect(done).toBe(false)
    await s.t.store.leases.release(lease, 'other-replica')
    expect((await deleting).status).toBe(204)
    await s.t.ctx.tick()
    expect((await s.t.request('GET', '/v1/pods?includeWorkers=true', { key: s.alice })).body).toEqual([])
    expect((await get(endpoint.id)).status).toBe(404)
  })

  it('resumes a worker’s log stream after Last-Event-ID', async () => {
    const endpoint = await create({ workers: { min: 1, max: 1 } })
    s.t.clock.advance(BOOT)
    const [worker] = (await workers(endpoint.id)).workers
    const all = (await logs(endpoint.id, worker.id)).events
    expect(all.length).toBeGreaterThan(3)
    const resumed = await logs(endpoint.id, worker.id, '', s.alice, { 'last-event-id': all[2]!.id })
    expect(resumed.events).toEqual(all.slice(3))
  })

  it('shows a stopped worker as unhealthy until the next reconciliation replaces it', async () => {
    const endpoint = await create({ workers: { min: 1, max: 1 } })
    s.t.clock.advance(BOOT)
    const [worker] = (await workers(endpoint.id)).workers
    const stop = await s.t.request('POST', `/v1/pods/${worker.id}/stop`, { key: s.alice })
    expect(stop.status, JSON.stringify(stop.body)).toBe(200)
    const stopped = await workers(endpoint.id)
    expect(stopped.workers).toEqual([expect.objectContaining({ id: worker.id, status: 'UNHEALTHY' })])
    expect(stopped.summary).toMatchObject({ unhealthy: 1, total: 1 })
    await s.t.ctx.tick()
    const replaced = (await workers(endpoint.id)).workers
    expect(replaced).toHaveLength(1)
    expect(replaced[0]).toMatchObject({ status: 'INITIALIZING', version: 0 })
    expect(replaced[0].id).not.toBe(worker.id)
    expect((await logs(endpoint.id, worker.id)).status).toBe(404)
  })

  it('starts the workers the fleet has room for and the rest once room frees up', async () => {
    const pod = await s.t.request('POST', '/v2/pods', {
      key: s.bob,
      body: { name: 'hog', image: 'x', gpu: { id: RTX_4090, count: 6 } },
    })
    expect(pod.status, JSON.stringify(pod.body)).toBe(201)
    const endpoint = await create({ workers: { min: 4, max: 4 } })
    expect((await workers(endpoint.id)).summary.total).toBe(2)
    expect((await s.t.request('DELETE', `/v2/pods/${pod.body.id}`, { key: s.bob })).status).toBe(204)
    await s.t.ctx.tick()
    const all = await workers(endpoint.id)
    expect(all.summary.total).toBe(4)
    expect(all.workers.every((w: { version: number }) => w.version === 0)).toBe(true)
  })

  it('leaves nothing behind when a PATCH races a DELETE', async () => {
    const endpoint = await create({ workers: { min: 1, max: 3 } })
    const [patched, deleted] = await Promise.all([
      patch(endpoint.id, { workers: { min: 3 }, image: 'me/worker:2' }),
      s.t.request('DELETE', `/v2/serverless/${endpoint.id}`, { key: s.alice }),
    ])
    expect(deleted.status).toBe(204)
    expect([200, 404]).toContain(patched.status)
    await s.t.ctx.tick()
    expect((await s.t.request('GET', '/v1/pods?includeWorkers=true', { key: s.alice })).body).toEqual([])
    const releases = await s.t.db.selectFrom('endpoint_releases').select('id').execute()
    expect(releases).toEqual([])
    expect((await s.t.request('GET', '/v2/templates', { key: s.alice })).body.templates).toEqual([])
  })
})
