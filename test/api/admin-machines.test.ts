import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { expectAllocationsConsistent } from '../helpers/invariants.js'
import { machine } from '../helpers/machines.js'

describe('/admin/v1/machines', () => {
  let t: TestApp
  let admin: string
  let alice: string
  beforeEach(async () => {
    t = await createTestApp({
      machines: [
        machine({ id: 'tx-a', data_center_id: 'US-TX-3', gpu_count: 4 }),
        machine({ id: 'tx-b', data_center_id: 'US-TX-3', gpu_count: 4 }),
        machine({ id: 'ro-a40', data_center_id: 'EU-RO-1', gpu_type_id: 'NVIDIA A40', gpu_count: 8 }),
      ],
    })
    admin = await t.key('ops', { admin: true })
    alice = await t.key('alice')
  })
  afterEach(async () => {
    await expectAllocationsConsistent(t.db)
    await t.close()
  })

  const as = (key: string) => ({
    get: (url: string) => t.request('GET', url, { key }),
    post: (url: string, body?: unknown) => t.request('POST', url, { key, body }),
    patch: (url: string, body: unknown) => t.request('PATCH', url, { key, body }),
    delete: (url: string) => t.request('DELETE', url, { key }),
  })
  const ops = () => as(admin)
  const user = () => as(alice)
  const createPod = async (body: Record<string, unknown> = {}) => {
    const res = await user().post('/v1/pods', {
      imageName: 'x',
      gpuTypeIds: ['NVIDIA GeForce RTX 4090'],
      ...body,
    })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body
  }

  it('lists machines with their allocation, filtered by data center, GPU type and state', async () => {
    await createPod({ gpuCount: 3, dataCenterIds: ['US-TX-3'] })
    const all = (await ops().get('/admin/v1/machines')).body
    expect(all.map((m: any) => m.id).sort()).toEqual(['ro-a40', 'tx-a', 'tx-b'])
    const used = all.find((m: any) => m.gpuUsed === 3)
    expect(used).toMatchObject({
      gpuCount: 4,
      gpuAvailable: 1,
      podCount: 1,
      state: 'ready',
      pricePerGpu: 0.69,
    })
    expect((await ops().get('/admin/v1/machines?dataCenterId=EU-RO-1')).body.map((m: any) => m.id)).toEqual([
      'ro-a40',
    ])
    expect(
      (await ops().get('/admin/v1/machines?gpuTypeId=NVIDIA+A40,NVIDIA+GeForce+RTX+4090')).body,
    ).toHaveLength(3)
    await ops().post('/admin/v1/machines/tx-b/cordon')
    expect((await ops().get('/admin/v1/machines?state=cordoned')).body.map((m: any) => m.id)).toEqual([
      'tx-b',
    ])
  })

  it('adds a machine that then takes pods, and validates what it is told', async () => {
    const res = await ops().post('/admin/v1/machines', {
      id: 'new-h100',
      dataCenterId: 'EU-SE-1',
      gpuTypeId: 'NVIDIA H100 80GB HBM3',
      gpuCount: 8,
      vcpuCount: 224,
      memoryInGb: 2048,
      diskInGb: 8000,
      cudaVersion: '12.8',
      publicIp: '203.0.113.7',
    })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({
      id: 'new-h100',
      state: 'ready',
      gpuCount: 8,
      location: 'Sweden',
      countryCode: 'SE',
      driver: 'simulated',
    })
    const pod = await createPod({ gpuTypeIds: ['NVIDIA H100 80GB HBM3'] })
    expect(pod.machineId).toBe('new-h100')
    for (const [body, message] of [
      [
        { dataCenterId: 'MARS-1', gpuTypeId: 'NVIDIA A40', vcpuCount: 8, memoryInGb: 64, diskInGb: 100 },
        'dataCenterId',
      ],
      [{ dataCenterId: 'US-TX-3', vcpuCount: 8, memoryInGb: 64, diskInGb: 100 }, 'either gpuTypeId'],
      [
        {
          dataCenterId: 'US-TX-3',
          gpuTypeId: 'NVIDIA A40',
          vcpuCount: 8,
          memoryInGb: 64,
          diskInGb: 100,
          id: 'new-h100',
        },
        'exists',
      ],
      [
        {
          dataCenterId: 'US-TX-3',
          gpuTypeId: 'NVIDIA A40',
          vcpuCount: 8,
          memoryInGb: 64,
          diskInGb: 100,
          gpus: 2,
        },
        'gpus is not a known field',
      ],
    ] as const) {
      const bad = await ops().post('/admin/v1/machines', body)
      expect(bad.status).toBe(400)
      expect(bad.body.error).toContain(message)
    }
  })

  it('re-prices a machine for new pods; running pods keep their price', async () => {
    const before = await createPod({ dataCenterIds: ['US-TX-3'] })
    for (const id of ['tx-a', 'tx-b']) {
      const res = await ops().patch(`/admin/v1/machines/${id}`, { pricePerGpu: 0.5, note: 'promo' })
      expect(res.body).toMatchObject({ pricePerGpu: 0.5, pricePerGpuOverride: 0.5, note: 'promo' })
    }
    const after = await createPod({ dataCenterIds: ['US-TX-3'], gpuCount: 2 })
    expect(after.costPerHr).toBe(1)
    expect((await user().get(`/v1/pods/${before.id}`)).body.costPerHr).toBe(0.69)
    const spot = await createPod({ dataCenterIds: ['US-TX-3'], interruptible: true })
    expect(spot.costPerHr).toBeCloseTo(0.5 * (0.38 / 0.69), 3)
    const withMachine = await user().get(`/v1/pods/${after.id}?includeMachine=true`)
    expect(withMachine.body.machine).toMatchObject({ currentPricePerGpu: 0.5, costPerHr: 2 })
  })

  it('cordon keeps new pods off a machine and leaves what runs there alone', async () => {
    const pod = await createPod({ dataCenterIds: ['US-TX-3'] })
    await ops().post(`/admin/v1/machines/${pod.machineId}/cordon`)
    for (let i = 0; i < 4; i++)
      expect((await createPod({ dataCenterIds: ['US-TX-3'] })).machineId).not.toBe(pod.machineId)
    const full = await user().post('/v1/pods', { imageName: 'x', dataCenterIds: ['US-TX-3'] })
    expect(full.status).toBe(500)
    await user().post(`/v1/pods/${pod.id}/stop`)
    expect((await user().post(`/v1/pods/${pod.id}/start`)).status).toBe(200)
    await ops().post(`/admin/v1/machines/${pod.machineId}/uncordon`)
    expect((await createPod({ dataCenterIds: ['US-TX-3'] })).machineId).toBe(pod.machineId)
  })

  it('drain stops what runs there with the reason, and cordons the machine', async () => {
    const a = await createPod({ gpuCount: 2, dataCenterIds: ['US-TX-3'] })
    const b = await createPod({ gpuCount: 2, dataCenterIds: ['US-TX-3'] })
    expect(b.machineId).toBe(a.machineId)
    const res = await ops().post(`/admin/v1/machines/${a.machineId}/drain`, { reason: 'kernel upgrade' })
    expect(res.status).toBe(200)
    expect(res.body.stopped.sort()).toEqual([a.id, b.id].sort())
    expect(res.body.machine).toMatchObject({ state: 'cordoned', gpuUsed: 0 })
    const pod = (await user().get(`/v1/pods/${a.id}`)).body
    expect(pod).toMatchObject({ desiredStatus: 'EXITED' })
    expect(pod.lastStatusChange).toMatch(/^Drained by operator \(kernel upgrade\): /)
  })

  it('drain with move boots running pods on another machine with the same hardware', async () => {
    const pod = await createPod({ gpuCount: 2, dataCenterIds: ['US-TX-3'], ports: ['22/tcp'] })
    const stopped = await createPod({ dataCenterIds: ['US-TX-3'] })
    await user().post(`/v1/pods/${stopped.id}/stop`)
    const from = pod.machineId
    const res = await ops().post(`/admin/v1/machines/${from}/drain`, { move: true, reason: 'rack swap' })
    expect(res.body.moved).toEqual([pod.id])
    const moved = (await user().get(`/v1/pods/${pod.id}`)).body
    expect(moved.machineId).not.toBe(from)
    expect(moved).toMatchObject({ desiredStatus: 'RUNNING', gpu: { count: 2 } })
    expect(moved.lastStatusChange).toMatch(/^Drained by operator \(rack swap\): /)
    expect(Object.keys(moved.portMappings)).toEqual(['22'])
    const machines = (await ops().get('/admin/v1/machines?dataCenterId=US-TX-3')).body
    expect(machines.find((m: any) => m.id === from).gpuUsed).toBe(0)
    expect(machines.find((m: any) => m.id === moved.machineId).gpuUsed).toBe(2)
  })

  it('refuses to remove a machine while pods are placed on it', async () => {
    const pod = await createPod({ dataCenterIds: ['EU-RO-1'], gpuTypeIds: ['NVIDIA A40'] })
    const refused = await ops().delete('/admin/v1/machines/ro-a40')
    expect(refused.status).toBe(409)
    expect(refused.body.error).toContain('still has 1 pod')
    await user().post(`/v1/pods/${pod.id}/stop`)
    expect((await ops().delete('/admin/v1/machines/ro-a40')).status).toBe(409)
    await user().delete(`/v1/pods/${pod.id}`)
    expect((await ops().delete('/admin/v1/machines/ro-a40')).status).toBe(204)
    expect((await ops().get('/admin/v1/machines/ro-a40')).status).toBe(404)
    expect((await user().post('/v1/pods', { imageName: 'x', gpuTypeIds: ['NVIDIA A40'] })).status).toBe(500)
  })

  it('fail takes a machine down: its pods exit with the reason, it takes nothing until recovered', async () => {
    const pod = await createPod({ dataCenterIds: ['EU-RO-1'], gpuTypeIds: ['NVIDIA A40'] })
    const res = await ops().post('/admin/v1/machines/ro-a40/fail', { reason: 'PSU fault' })
    expect(res.body).toMatchObject({
      stopped: [pod.id],
      machine: { state: 'failed', failureNote: 'PSU fault', gpuUsed: 0 },
    })
    const exited = (await user().get(`/v1/pods/${pod.id}`)).body
    expect(exited).toMatchObject({ desiredStatus: 'EXITED', publicIp: null })
    expect(exited.lastStatusChange).toMatch(/^Machine failure \(PSU fault\): /)
    expect((await user().post('/v1/pods', { imageName: 'x', gpuTypeIds: ['NVIDIA A40'] })).status).toBe(500)
    const start = await user().post(`/v1/pods/${pod.id}/start`)
    expect(start.status).toBe(400)
    expect(start.body.error).toBe('cannot start pod: its machine is down')
    expect((await ops().post('/admin/v1/machines/ro-a40/recover')).body.state).toBe('ready')
    expect((await user().post(`/v1/pods/${pod.id}/start`)).status).toBe(200)
  })

  it('answers unknown machines with 404', async () => {
    for (const [method, url] of [
      ['GET', '/admin/v1/machines/nope'],
      ['POST', '/admin/v1/machines/nope/cordon'],
      ['POST', '/admin/v1/machines/nope/drain'],
      ['POST', '/admin/v1/machines/nope/fail'],
      ['DELETE', '/admin/v1/machines/nope'],
    ] as const) {
      const res = await t.request(method, url, { key: admin })
      expect(res.status).toBe(404)
      expect(res.body.error).toBe('machine not found')
    }
  })
})
