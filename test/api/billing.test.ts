import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { STORAGE_PRICES } from '../../src/domain/usage.js'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { cpuMachine, machine } from '../helpers/machines.js'

const HOUR = 3_600_000
const T0 = Date.parse('2026-01-01T00:00:00.000Z')
const RUNNING_DISK = 70 * STORAGE_PRICES.podDiskRunning // 50 GB container disk + 20 GB volume
const STOPPED_DISK = 20 * STORAGE_PRICES.podVolumeStopped

describe('billing', () => {
  let t: TestApp
  let key: string
  beforeEach(async () => {
    t = await createTestApp({
      machines: [machine({ id: 'host', gpu_count: 8, vcpu_count: 128, memory_gb: 512 }), cpuMachine()],
    })
    key = await t.key('alice')
    t.clock.set(T0)
  })
  afterEach(() => t.close())

  const at = (hours: number) => t.clock.set(T0 + hours * HOUR)
  const get = async (url: string, k = key) => {
    const res = await t.request('GET', url, { key: k })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body as any[]
  }
  const range = 'startTime=2026-01-01T00:00:00Z&endTime=2026-01-03T00:00:00Z'

  /** Pod A runs 0–10h, is stopped 10–30h, runs 30–40h and is deleted. */
  async function podLifecycle() {
    const pod = (await t.request('POST', '/v1/pods', { key, body: { imageName: 'x' } })).body
    at(10)
    await t.request('POST', `/v1/pods/${pod.id}/stop`, { key })
    at(30)
    await t.request('POST', `/v1/pods/${pod.id}/start`, { key })
    at(40)
    await t.request('DELETE', `/v1/pods/${pod.id}`, { key })
    at(72)
    return pod
  }

  it('bills a pod’s running time × its rate, and its disk, into exact day buckets', async () => {
    const pod = await podLifecycle()
    const days = await get(`/v1/billing/pods?${range}&bucketSize=day&grouping=podId`)
    expect(days).toHaveLength(2)
    expect(days[0]).toMatchObject({
      time: '2026-01-01T00:00:00.000Z',
      podId: pod.id,
      timeBilledMs: 10 * HOUR,
      diskSpaceBilledGb: 70,
    })
    expect(days[0].amount).toBeCloseTo(10 * 0.69 + 10 * RUNNING_DISK + 14 * STOPPED_DISK, 9)
    expect(days[1]).toMatchObject({ time: '2026-01-02T00:00:00.000Z', timeBilledMs: 10 * HOUR })
    expect(days[1].amount).toBeCloseTo(6 * STOPPED_DISK + 10 * 0.69 + 10 * RUNNING_DISK, 9)
  })

  it('adds up: hour buckets sum to the day buckets, and a sub-range is clipped exactly', async () => {
    await podLifecycle()
    const sum = (records: any[]) => records.reduce((s, r) => s + r.amount, 0)
    const hours = await get(`/v1/billing/pods?${range}&bucketSize=hour`)
    const days = await get(`/v1/billing/pods?${range}&bucketSize=day`)
    expect(hours.filter((r) => r.timeBilledMs > 0)).toHaveLength(20)
    // Each record is rounded to a nano-dollar, so 48 of them agree with 2 to a micro-dollar.
    expect(sum(hours)).toBeCloseTo(sum(days), 6)
    const clipped = await get(
      '/v1/billing/pods?startTime=2026-01-01T05:30:00Z&endTime=2026-01-01T07:00:00Z&bucketSize=hour',
    )
    expect(clipped.map((r) => r.time)).toEqual(['2026-01-01T05:00:00.000Z', '2026-01-01T06:00:00.000Z'])
    expect(clipped[0].amount).toBeCloseTo(0.5 * (0.69 + RUNNING_DISK), 9)
    expect(clipped[0].timeBilledMs).toBe(HOUR / 2)
    const month = await get(`/v1/billing/pods?${range}&bucketSize=month`)
    expect(month).toHaveLength(1)
    expect(month[0].amount).toBeCloseTo(sum(days), 9)
  })

  it('groups by GPU type by default and filters by pod and GPU type', async () => {
    const gpu = await podLifecycle()
    t.clock.set(T0)
    const cpu = (
      await t.request('POST', '/v1/pods', { key, body: { imageName: 'x', computeType: 'CPU', vcpuCount: 4 } })
    ).body
    at(2)
    await t.request('DELETE', `/v1/pods/${cpu.id}`, { key })
    at(72)
    const byType = await get(`/v1/billing/pods?${range}`)
    expect(byType.filter((r) => r.gpuTypeId === 'NVIDIA GeForce RTX 4090')).toHaveLength(2)
    const cpuRecord = byType.find((r) => r.gpuTypeId === undefined)
    expect(cpuRecord.amount).toBeCloseTo(2 * cpu.costPerHr + 2 * 70 * STORAGE_PRICES.podDiskRunning, 9)
    expect(await get(`/v1/billing/pods?${range}&podId=${cpu.id}&grouping=podId`)).toEqual([
      expect.objectContaining({ podId: cpu.id }),
    ])
    const only4090 = await get(`/v1/billing/pods?${range}&gpuTypeId=NVIDIA+GeForce+RTX+4090&grouping=podId`)
    expect(only4090.every((r) => r.podId === gpu.id)).toBe(true)
  })

  it('bills network volumes by size × time, following resizes', async () => {
    const volume = (
      await t.request('POST', '/v1/networkvolumes', {
        key,
        body: { name: 'v', size: 100, dataCenterId: 'US-TX-3' },
      })
    ).body
    at(12)
    await t.request('PATCH', `/v1/networkvolumes/${volume.id}`, { key, body: { size: 1500 } })
    at(36)
    await t.request('DELETE', `/v1/networkvolumes/${volume.id}`, { key })
    const records = await get(`/v1/billing/networkvolumes?${range}`)
    const big = 1000 * STORAGE_PRICES.networkVolume + 500 * STORAGE_PRICES.networkVolumeOver1Tb
    expect(records[0]).toMatchObject({
      time: '2026-01-01T00:00:00.000Z',
      diskSpaceBilledGb: 1500,
      highPerformanceStorageAmount: 0,
    })
    expect(records[0].amount).toBeCloseTo(12 * 100 * STORAGE_PRICES.networkVolume + 12 * big, 9)
    expect(records[1].amount).toBeCloseTo(12 * big, 9)
  })

  it('splits out high performance storage, also for a volume since deleted', async () => {
    const create = async (url: string, body: object) => {
      const res = await t.request('POST', url, { key, body })
      expect(res.status, JSON.stringify(res.body)).toBeLessThan(300)
      return res.body.id as string
    }
    const standard = await create('/v1/networkvolumes', { name: 's', size: 100, dataCenterId: 'US-TX-3' })
    const fast = await create('/v2/network-volumes', {
      name: 'f',
      size: 50,
      dataCenter: 'US-TX-3',
      type: 'HIGH_PERFORMANCE',
    })
    at(12)
    expect((await t.request('DELETE', `/v1/networkvolumes/${fast}`, { key })).status).toBe(204)
    at(36)
    expect((await t.request('DELETE', `/v1/networkvolumes/${standard}`, { key })).status).toBe(204)
    const [first, second] = await get(`/v1/billing/networkvolumes?${range}`)
    const perGb = STORAGE_PRICES.networkVolume
    expect(first).toMatchObject({
      time: '2026-01-01T00:00:00.000Z',
      highPerformanceStorageDiskSpaceBilledGb: 50,
    })
    expect(first.amount).toBeCloseTo(24 * 100 * perGb + 12 * 50 * perGb, 9)
    expect(first.highPerformanceStorageAmount).toBeCloseTo(12 * 50 * perGb, 9)
    expect(second).toMatchObject({
      time: '2026-01-02T00:00:00.000Z',
      diskSpaceBilledGb: 100,
      highPerformanceStorageAmount: 0,
      highPerformanceStorageDiskSpaceBilledGb: 0,
    })
    expect(second.amount).toBeCloseTo(12 * 100 * perGb, 9)
  })

  it('bills serverless workers under /billing/endpoints, not /billing/pods', async () => {
    const endpoint = (
      await t.request('POST', '/v1/endpoints', {
        key,
        body: { templateId: 'runpod-worker-vllm', workersMin: 2 },
      })
    ).body
    at(5)
    await t.request('DELETE', `/v1/endpoints/${endpoint.id}`, { key })
    expect(await get(`/v1/billing/pods?${range}`)).toEqual([])
    const records = await get(`/v1/billing/endpoints?${range}`)
    expect(records).toEqual([expect.objectContaining({ endpointId: endpoint.id, timeBilledMs: 10 * HOUR })])
    const disk = 30 * STORAGE_PRICES.podDiskRunning
    expect(records[0].amount).toBeCloseTo(2 * 5 * (0.69 + disk), 9)
    expect(await get(`/v1/billing/endpoints?${range}&grouping=podId`)).toHaveLength(2)
    expect(await get(`/v1/billing/endpoints?${range}&dataCenterId=EU-RO-1`)).toEqual([])
    expect(
      await get(
        `/v1/billing/endpoints?${range}&templateId=runpod-worker-vllm&imageName=runpod/worker-v1-vllm:v2.8.0stable-cuda12.1.0`,
      ),
    ).toHaveLength(1)
  })

  it('applies savings plans within their window, in the pod’s rate and in billing', async () => {
    const pod = (await t.request('POST', '/v1/pods', { key, body: { imageName: 'x', gpuCount: 2 } })).body
    expect(pod.costPerHr).toBe(1.38)
    const plan = await t.request('POST', `/v1/pods/${pod.id}/savingsplans`, {
      key,
      body: { term: 'ONE_WEEK', startTime: new Date(T0 + 4 * HOUR).toISOString() },
    })
    expect(plan.status).toBe(201)
    expect(plan.body).toMatchObject({
      podId: pod.id,
      gpuTypeId: 'NVIDIA GeForce RTX 4090',
      costPerHr: 1.32,
      endTime: '2026-01-08T04:00:00.000Z',
    })
    expect((await t.request('GET', `/v1/pods/${pod.id}`, { key })).body.adjustedCostPerHr).toBe(1.38)
    at(6)
    const during = (await t.request('GET', `/v1/pods/${pod.id}?includeSavingsPlans=true`, { key })).body
    expect(during).toMatchObject({ costPerHr: 1.38, adjustedCostPerHr: 1.32, savingsPlans: [plan.body] })
    at(10)
    await t.request('DELETE', `/v1/pods/${pod.id}`, { key })
    const [day] = await get(`/v1/billing/pods?${range}`)
    expect(day.amount).toBeCloseTo(4 * 1.38 + 6 * 1.32 + 10 * RUNNING_DISK, 9)
    expect((await t.request('GET', `/v1/pods/${pod.id}/savingsplans`, { key })).status).toBe(404)
  })

  it('refuses savings plans that make no sense', async () => {
    const spot = (await t.request('POST', '/v1/pods', { key, body: { imageName: 'x', interruptible: true } }))
      .body
    const cpu = (await t.request('POST', '/v1/pods', { key, body: { imageName: 'x', computeType: 'CPU' } }))
      .body
    const gpu = (await t.request('POST', '/v1/pods', { key, body: { imageName: 'x' } })).body
    const bob = await t.key('bob')
    for (const [id, body, status, message, k] of [
      [spot.id, { term: 'ONE_MONTH' }, 400, 'on-demand Secure Cloud', key],
      [cpu.id, { term: 'ONE_MONTH' }, 400, 'CPU pod', key],
      [gpu.id, { term: 'ONE_MONTH', gpuTypeId: 'NVIDIA A40' }, 400, 'runs on NVIDIA GeForce RTX 4090', key],
      [gpu.id, { term: 'FOREVER' }, 400, 'term must be one of', key],
      [gpu.id, { term: 'ONE_MONTH', startTime: '2020-01-01T00:00:00Z' }, 400, 'cannot be in the past', key],
      [gpu.id, { term: 'ONE_MONTH' }, 404, 'pod not found', bob],
    ] as const) {
      const res = await t.request('POST', `/v1/pods/${id}/savingsplans`, { key: k, body })
      expect(res.status).toBe(status)
      expect(res.body.error).toContain(message)
    }
    expect((await t.request('GET', `/v1/pods/${gpu.id}/savingsplans`, { key })).body).toEqual([])
  })

  it.each([
    ['?bucketSize=fortnight', 'bucketSize must be one of'],
    ['?startTime=yesterday', 'startTime must match format "date-time"'],
    ['?startTime=2026-01-02T00:00:00Z&endTime=2026-01-01T00:00:00Z', 'startTime must be before endTime'],
    [
      '?startTime=2020-01-01T00:00:00Z&endTime=2026-01-01T00:00:00Z&bucketSize=hour',
      'more than 10000 hour buckets',
    ],
    ['?grouping=endpointId', 'grouping must be one of: podId, gpuTypeId'],
    ['?gpuTypeId=NVIDIA+GeForce+RTX+9999', 'unknown value'],
  ])('answers /billing/pods%s with 400', async (query, message) => {
    const res = await t.request('GET', `/v1/billing/pods${query}`, { key })
    expect(res.status).toBe(400)
    expect(res.body.error).toContain(message)
  })

  it('shows each user only their own spend', async () => {
    await podLifecycle()
    const bob = await t.key('bob')
    expect(await get(`/v1/billing/pods?${range}`, bob)).toEqual([])
    expect(await get(`/v1/billing/endpoints?${range}`, bob)).toEqual([])
    expect(await get(`/v1/billing/networkvolumes?${range}`, bob)).toEqual([])
  })
})
