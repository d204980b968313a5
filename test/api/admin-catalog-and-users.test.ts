import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { machine } from '../helpers/machines.js'

const HOUR = 3_600_000

describe('/admin/v1 catalog and users', () => {
  let t: TestApp
  let admin: string
  let alice: string
  beforeEach(async () => {
    t = await createTestApp({
      machines: [machine({ id: 'host', gpu_count: 8, vcpu_count: 128, memory_gb: 1024 })],
    })
    admin = await t.key('ops', { admin: true })
    alice = await t.key('alice')
  })
  afterEach(() => t.close())
  const ops = (method: string, url: string, body?: unknown) => t.request(method, url, { key: admin, body })

  it('lists GPU types with their prices and re-prices them for new rentals', async () => {
    const list = (await ops('GET', '/admin/v1/gputypes')).body
    expect(list.find((g: any) => g.id === 'NVIDIA GeForce RTX 4090')).toMatchObject({
      securePrice: 0.69,
      memoryInGb: 24,
    })
    const before = (await t.request('POST', '/v1/pods', { key: alice, body: { imageName: 'x' } })).body
    const res = await ops('PATCH', '/admin/v1/gputypes/NVIDIA GeForce RTX 4090', { securePrice: 0.59 })
    expect(res.body).toMatchObject({ id: 'NVIDIA GeForce RTX 4090', securePrice: 0.59 })
    const after = (await t.request('POST', '/v1/pods', { key: alice, body: { imageName: 'x' } })).body
    expect(after.costPerHr).toBe(0.59)
    expect(after.gpu.securePrice).toBe(0.59)
    expect((await t.request('GET', `/v1/pods/${before.id}`, { key: alice })).body.costPerHr).toBe(0.69)
    expect((await ops('PATCH', '/admin/v1/gputypes/nope', { securePrice: 1 })).status).toBe(404)
  })

  it('adds a GPU type (deriving spot and savings prices) that machines and pods can then use', async () => {
    const res = await ops('POST', '/admin/v1/gputypes', {
      id: 'NVIDIA GeForce RTX 4060 Ti',
      displayName: 'RTX 4060 Ti',
      memoryInGb: 16,
      securePrice: 0.2,
      communityPrice: 0.15,
    })
    expect(res.status).toBe(201)
    expect(res.body).toMatchObject({ secureSpotPrice: 0.11, oneMonthPrice: 0.18, maxGpuCount: 8 })
    expect((await ops('POST', '/admin/v1/gputypes', { ...res.body })).status).toBe(400)
    await ops('POST', '/admin/v1/machines', {
      dataCenterId: 'US-TX-3',
      gpuTypeId: 'NVIDIA GeForce RTX 4060 Ti',
      gpuCount: 2,
      vcpuCount: 16,
      memoryInGb: 64,
      diskInGb: 1000,
    })
    const pod = await t.request('POST', '/v1/pods', {
      key: alice,
      body: { imageName: 'x', gpuTypeIds: ['NVIDIA GeForce RTX 4060 Ti'] },
    })
    expect(pod.status).toBe(201)
    expect(pod.body.costPerHr).toBe(0.2)
    const listed = await t.request('GET', '/v1/pods?gpuTypeId=NVIDIA+GeForce+RTX+4060+Ti', { key: alice })
    expect(listed.body).toHaveLength(1)
  })

  it('adds and updates data centers', async () => {
    const res = await ops('POST', '/admin/v1/datacenters', {
      id: 'EU-DE-1',
      location: 'Germany',
      countryCode: 'de',
    })
    expect(res.status).toBe(201)
    expect(res.body).toEqual({
      id: 'EU-DE-1',
      name: 'EU-DE-1',
      location: 'Germany',
      countryCode: 'DE',
      globalNetworking: false,
    })
    const updated = await ops('PATCH', '/admin/v1/datacenters/EU-DE-1', {
      globalNetworking: true,
      name: 'Frankfurt',
    })
    expect(updated.body).toMatchObject({ name: 'Frankfurt', globalNetworking: true })
    expect((await ops('GET', '/admin/v1/datacenters')).body.map((d: any) => d.id)).toContain('EU-DE-1')
    await ops('POST', '/admin/v1/machines', {
      id: 'fra-1',
      dataCenterId: 'EU-DE-1',
      gpuTypeId: 'NVIDIA A40',
      gpuCount: 2,
      vcpuCount: 16,
      memoryInGb: 128,
      diskInGb: 1000,
    })
    const pod = await t.request('POST', '/v1/pods', {
      key: alice,
      body: { imageName: 'x', dataCenterIds: ['EU-DE-1'] },
    })
    expect(pod.body.machineId).toBe('fra-1')
    for (const body of [
      { id: 'eu-de-2', location: 'x', countryCode: 'DE' },
      { id: 'EU-DE-1', location: 'x', countryCode: 'DE' },
    ]) {
      expect((await ops('POST', '/admin/v1/datacenters', body)).status).toBe(400)
    }
  })

  it('lists users with what they run, and disabling one stops their keys at once', async () => {
    await t.request('POST', '/v1/pods', { key: alice, body: { imageName: 'x', gpuCount: 2 } })
    const users = (await ops('GET', '/admin/v1/users')).body
    expect(users.find((u: any) => u.id === 'alice')).toMatchObject({
      disabled: false,
      liveKeys: 1,
      runningPods: 1,
      runningCostPerHr: 1.38,
    })
    const disabled = await ops('POST', '/admin/v1/users/alice/disable')
    expect(disabled.body).toMatchObject({ id: 'alice', disabled: true })
    expect((await t.request('GET', '/v1/pods', { key: alice })).status).toBe(401)
    await ops('POST', '/admin/v1/users/alice/enable')
    expect((await t.request('GET', '/v1/pods', { key: alice })).status).toBe(200)
    expect((await ops('POST', '/admin/v1/users/nobody/disable')).status).toBe(404)
  })

  it('summarises a user’s usage: running cost now and spend over a range', async () => {
    const start = t.clock.now()
    await t.request('POST', '/v1/pods', {
      key: alice,
      body: { imageName: 'x', containerDiskInGb: 10, volumeInGb: 0 },
    })
    await t.request('POST', '/v1/networkvolumes', {
      key: alice,
      body: { name: 'v', size: 100, dataCenterId: 'US-TX-3' },
    })
    t.clock.advance(24 * HOUR)
    const res = await ops(
      'GET',
      `/admin/v1/users/alice/usage?startTime=${new Date(start).toISOString()}&endTime=${new Date(start + 24 * HOUR).toISOString()}`,
    )
    expect(res.status).toBe(200)
    expect(res.body).toMatchObject({ id: 'alice', runningPods: 1, runningCostPerHr: 0.69 })
    expect(res.body.spend.pods).toBeCloseTo(24 * (0.69 + (10 * 0.1) / 730), 9)
    expect(res.body.spend.networkVolumes).toBeCloseTo((24 * 100 * 0.07) / 730, 9)
    expect(res.body.spend.total).toBeCloseTo(res.body.spend.pods + res.body.spend.networkVolumes, 9)
  })

  it('counts a running pod at its savings-plan rate while the plan is in force, as GET /v1/pods shows', async () => {
    const start = t.clock.now()
    const planned = (
      await t.request('POST', '/v1/pods', { key: alice, body: { imageName: 'x', gpuCount: 2 } })
    ).body
    await t.request('POST', '/v1/pods', { key: alice, body: { imageName: 'x' } })
    const plan = await t.request('POST', `/v1/pods/${planned.id}/savingsplans`, {
      key: alice,
      body: { term: 'ONE_WEEK', startTime: new Date(start + HOUR).toISOString() },
    })
    expect(plan.status).toBe(201)
    const listedCost = async () => {
      const pods = (await t.request('GET', '/v1/pods', { key: alice })).body
      return Math.round(pods.reduce((s: number, p: any) => s + p.adjustedCostPerHr, 0) * 1000) / 1000
    }
    const summary = async () => {
      const range = `startTime=${new Date(start).toISOString()}&endTime=${new Date(t.clock.now()).toISOString()}`
      return (await ops('GET', `/admin/v1/users/alice/usage?${range}`)).body.runningCostPerHr
    }

    // Both rates, summary and listing, before the plan starts, while it runs, and after its week.
    t.clock.advance(1)
    expect([await summary(), await listedCost()]).toEqual([2.07, 2.07])
    t.clock.advance(HOUR)
    expect([await summary(), await listedCost()]).toEqual([2.01, 2.01])
    const listed = (await ops('GET', '/admin/v1/users')).body.find((u: any) => u.id === 'alice')
    expect(listed.runningCostPerHr).toBe(2.01)
    t.clock.advance(7 * 24 * HOUR)
    expect([await summary(), await listedCost()]).toEqual([2.07, 2.07])
  })
})
