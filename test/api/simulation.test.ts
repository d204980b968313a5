import { afterEach, describe, expect, it } from 'vitest'
import { systemClock } from '../../src/clock.js'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { expectAllocationsConsistent } from '../helpers/invariants.js'
import { machine } from '../helpers/machines.js'

const HOUR = 3_600_000

describe('simulation', () => {
  let t: TestApp
  afterEach(async () => {
    await expectAllocationsConsistent(t.db)
    await t.close()
  })

  const create = async (key: string, body: Record<string, unknown>) => {
    const res = await t.request('POST', '/v1/pods', { key, body: { imageName: 'x', ...body } })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    t.clock.advance(1000) // distinct creation times: "newest" is well defined
    return res.body
  }
  const get = async (key: string, id: string) => (await t.request('GET', `/v1/pods/${id}`, { key })).body

  describe('interruptible pods', () => {
    it('gives an on-demand pod the GPUs of the newest interruptible pods on one machine, and nothing else', async () => {
      t = await createTestApp({
        machines: [
          machine({ id: 'busy', gpu_count: 4 }),
          machine({ id: 'other', gpu_count: 2, data_center_id: 'EU-RO-1' }),
        ],
      })
      const alice = await t.key('alice')
      const bob = await t.key('bob')
      const onDemand = await create(alice, { dataCenterIds: ['US-TX-3'] })
      const oldestSpot = await create(alice, { interruptible: true, dataCenterIds: ['US-TX-3'] })
      const middleSpot = await create(bob, { interruptible: true, dataCenterIds: ['US-TX-3'] })
      const newestSpot = await create(alice, { interruptible: true, dataCenterIds: ['US-TX-3'] })
      const elsewhere = await create(bob, { interruptible: true, gpuCount: 2, dataCenterIds: ['EU-RO-1'] })

      const newcomer = await create(bob, { gpuCount: 2, dataCenterIds: ['US-TX-3'] })
      expect(newcomer.machineId).toBe('busy')

      const statuses = async () => ({
        onDemand: (await get(alice, onDemand.id)).desiredStatus,
        oldestSpot: (await get(alice, oldestSpot.id)).desiredStatus,
        middleSpot: (await get(bob, middleSpot.id)).desiredStatus,
        newestSpot: (await get(alice, newestSpot.id)).desiredStatus,
        elsewhere: (await get(bob, elsewhere.id)).desiredStatus,
      })
      expect(await statuses()).toEqual({
        onDemand: 'RUNNING',
        oldestSpot: 'RUNNING',
        middleSpot: 'EXITED',
        newestSpot: 'EXITED',
        elsewhere: 'RUNNING',
      })
      expect((await get(alice, newestSpot.id)).lastStatusChange).toMatch(
        /^Interrupted: spot capacity reclaimed for an on-demand rental: /,
      )
    })

    it('never preempts for another interruptible pod, or while a free machine fits', async () => {
      t = await createTestApp({
        machines: [machine({ id: 'a', gpu_count: 1 }), machine({ id: 'b', gpu_count: 1 })],
      })
      const key = await t.key('alice')
      const firstSpot = await create(key, { interruptible: true })
      const secondSpot = await create(key, { interruptible: true }) // takes the free machine, preempting nothing
      expect(secondSpot.machineId).not.toBe(firstSpot.machineId)
      expect((await get(key, firstSpot.id)).desiredStatus).toBe('RUNNING')
      const third = await t.request('POST', '/v1/pods', {
        key,
        body: { imageName: 'x', interruptible: true },
      })
      expect(third.status).toBe(500) // a spot request never interrupts another spot pod
      expect((await get(key, firstSpot.id)).desiredStatus).toBe('RUNNING')
      expect((await get(key, secondSpot.id)).desiredStatus).toBe('RUNNING')
      const onDemand = await create(key, {})
      // Only the spot pod on the machine the on-demand pod took gives way.
      const [victim, survivor] =
        onDemand.machineId === firstSpot.machineId ? [firstSpot, secondSpot] : [secondSpot, firstSpot]
      expect((await get(key, victim.id)).desiredStatus).toBe('EXITED')
      expect((await get(key, survivor.id)).desiredStatus).toBe('RUNNING')
    })
  })

  describe('maintenance windows', () => {
    it('stop pods when the window opens, keep new pods off during it, and let them back after', async () => {
      t = await createTestApp({ machines: [machine({ id: 'm', gpu_count: 2 })] })
      const key = await t.key('alice')
      const admin = await t.key('ops', { admin: true })
      const pod = await create(key, {})
      const start = t.clock.now() + HOUR
      const window = await t.request('PATCH', '/admin/v1/machines/m', {
        key: admin,
        body: {
          maintenanceStart: new Date(start).toISOString(),
          maintenanceEnd: new Date(start + 2 * HOUR).toISOString(),
          maintenanceNote: 'BIOS update',
        },
      })
      expect(window.body).toMatchObject({ state: 'ready', maintenanceNote: 'BIOS update' })
      const shown = await t.request('GET', `/v1/pods/${pod.id}?includeMachine=true`, { key })
      expect(shown.body.machine).toMatchObject({
        maintenanceStart: new Date(start).toISOString(),
        maintenanceEnd: new Date(start + 2 * HOUR).toISOString(),
        maintenanceNote: 'BIOS update',
      })
      await t.request('POST', '/admin/v1/clock/advance', { key: admin, body: { ms: HOUR / 2 } })
      expect((await get(key, pod.id)).desiredStatus).toBe('RUNNING')
      const advanced = await t.request('POST', '/admin/v1/clock/advance', {
        key: admin,
        body: { ms: HOUR / 2 },
      })
      expect(advanced.body).toMatchObject({ mode: 'manual', now: new Date(start).toISOString() })
      const stopped = await get(key, pod.id)
      expect(stopped.desiredStatus).toBe('EXITED')
      expect(stopped.lastStatusChange).toMatch(/^Stopped for machine maintenance \(BIOS update\): /)
      expect((await t.request('GET', '/admin/v1/machines/m', { key: admin })).body.state).toBe('maintenance')
      expect((await t.request('POST', '/v1/pods', { key, body: { imageName: 'x' } })).status).toBe(500)
      const start2 = await t.request('POST', `/v1/pods/${pod.id}/start`, { key })
      expect(start2.status).toBe(400)
      expect(start2.body.error).toContain('in maintenance until')
      await t.request('POST', '/admin/v1/clock/advance', { key: admin, body: { ms: 2 * HOUR } })
      expect((await t.request('POST', `/v1/pods/${pod.id}/start`, { key })).status).toBe(200)
      expect((await t.request('POST', '/v1/pods', { key, body: { imageName: 'x' } })).status).toBe(201)
    })

    it('stop pods for a window the clock jumped right past, billed only up to its start', async () => {
      t = await createTestApp({ machines: [machine({ id: 'm', gpu_count: 2 })] })
      const key = await t.key('alice')
      const admin = await t.key('ops', { admin: true })
      const created = t.clock.now()
      const pod = (
        await t.request('POST', '/v1/pods', {
          key,
          body: { imageName: 'x', containerDiskInGb: 20, volumeInGb: 0 },
        })
      ).body
      const start = created + HOUR
      await t.request('PATCH', '/admin/v1/machines/m', {
        key: admin,
        body: {
          maintenanceStart: new Date(start).toISOString(),
          maintenanceEnd: new Date(start + HOUR).toISOString(),
          maintenanceNote: 'BIOS update',
        },
      })
      // One jump from before the window to after it: no pass ever ran while it was open.
      await t.request('POST', '/admin/v1/clock/advance', { key: admin, body: { ms: 3 * HOUR } })
      const stopped = await get(key, pod.id)
      expect(stopped.desiredStatus).toBe('EXITED')
      expect(new Date(start).toISOString()).toBe('2026-01-01T01:00:00.000Z')
      expect(stopped.lastStatusChange).toBe(
        'Stopped for machine maintenance (BIOS update): Thu Jan 01 2026 01:00:00 GMT+0000 (Coordinated Universal Time)',
      )
      expect((await t.request('GET', '/admin/v1/machines/m', { key: admin })).body).toMatchObject({
        state: 'ready',
        gpuUsed: 0,
      })
      const range = `startTime=${new Date(created).toISOString()}&endTime=${new Date(created + 3 * HOUR).toISOString()}`
      const records = (await t.request('GET', `/v1/billing/pods?${range}&grouping=podId`, { key })).body
      expect(records.find((r: any) => r.podId === pod.id).amount).toBeCloseTo(
        1 * (pod.costPerHr + 20 * (0.1 / 730)),
        9,
      )

      // Started again after the window: later passes leave it running.
      expect((await t.request('POST', `/v1/pods/${pod.id}/start`, { key })).status).toBe(200)
      await t.request('POST', '/admin/v1/clock/advance', { key: admin, body: { ms: HOUR } })
      expect((await get(key, pod.id)).desiredStatus).toBe('RUNNING')
    })
  })

  describe('boot timing', () => {
    it('pulls longer for bigger container disks; restarts find the image cached', async () => {
      t = await createTestApp({
        machines: [machine({ gpu_count: 4, disk_gb: 5000 })],
        bootMs: 2000,
        pullMsPerGb: 100,
      })
      const key = await t.key('alice')
      const small = (
        await t.request('POST', '/v1/pods', { key, body: { imageName: 'x', containerDiskInGb: 10 } })
      ).body
      const big = (
        await t.request('POST', '/v1/pods', { key, body: { imageName: 'x', containerDiskInGb: 200 } })
      ).body
      const ip = async (id: string) => (await get(key, id)).publicIp
      t.clock.advance(2000 + 10 * 100 - 1)
      expect(await ip(small.id)).toBeNull()
      t.clock.advance(1)
      expect(await ip(small.id)).not.toBeNull()
      expect(await ip(big.id)).toBeNull()
      t.clock.advance(200 * 100 - 10 * 100)
      expect(await ip(big.id)).not.toBeNull()
      await t.request('POST', `/v1/pods/${big.id}/restart`, { key })
      expect(await ip(big.id)).toBeNull()
      t.clock.advance(2000)
      expect(await ip(big.id)).not.toBeNull()
    })
  })

  describe('cost accrual', () => {
    it('bills a simulated day of running, stopping and spot exactly as the arithmetic says', async () => {
      t = await createTestApp({ machines: [machine({ gpu_count: 8, vcpu_count: 128, memory_gb: 1024 })] })
      const key = await t.key('alice')
      const day = t.clock.now()
      const onDemand = (
        await t.request('POST', '/v1/pods', {
          key,
          body: { imageName: 'x', gpuCount: 2, containerDiskInGb: 20, volumeInGb: 30 },
        })
      ).body
      const spot = (
        await t.request('POST', '/v1/pods', {
          key,
          body: { imageName: 'x', interruptible: true, containerDiskInGb: 20, volumeInGb: 0 },
        })
      ).body
      t.clock.advance(6 * HOUR)
      await t.request('POST', `/v1/pods/${onDemand.id}/stop`, { key })
      t.clock.advance(6 * HOUR)
      await t.request('POST', `/v1/pods/${onDemand.id}/start`, { key })
      t.clock.advance(12 * HOUR)
      const range = `startTime=${new Date(day).toISOString()}&endTime=${new Date(day + 24 * HOUR).toISOString()}`
      const records = (await t.request('GET', `/v1/billing/pods?${range}&grouping=podId`, { key })).body
      const amount = (id: string) => records.find((r: any) => r.podId === id).amount
      const running = 50 * (0.1 / 730)
      const stopped = 30 * (0.2 / 730)
      expect(amount(onDemand.id)).toBeCloseTo(18 * (1.38 + running) + 6 * stopped, 9)
      expect(amount(spot.id)).toBeCloseTo(24 * (0.38 + 20 * (0.1 / 730)), 9)
      const admin = await t.key('ops', { admin: true })
      const usage = await t.request('GET', `/admin/v1/users/alice/usage?${range}`, { key: admin })
      // Records are rounded to a nano-dollar each; the summary is not.
      expect(usage.body.spend.total).toBeCloseTo(amount(onDemand.id) + amount(spot.id), 6)
      expect(usage.body.runningCostPerHr).toBe(1.76)
    })
  })

  describe('fault injection', () => {
    it('fails a seeded share of creates with RunPod’s wording, the same ones every run', async () => {
      const outcomes: number[][] = []
      for (let run = 0; run < 2; run++) {
        t = await createTestApp({
          machines: [machine({ gpu_count: 8, vcpu_count: 256, memory_gb: 2048, disk_gb: 100_000 })],
          failureRate: 0.3,
        })
        const key = await t.key('alice')
        const statuses: number[] = []
        for (let i = 0; i < 20; i++) {
          const res = await t.request('POST', '/v1/pods', {
            key,
            body: { imageName: 'x', containerDiskInGb: 1, volumeInGb: 0 },
          })
          statuses.push(res.status)
          if (res.status === 201) await t.request('DELETE', `/v1/pods/${res.body.id}`, { key })
          else expect(res.body.error).toBe('create pod: There are no instances currently available')
        }
        outcomes.push(statuses)
        if (run === 0) await t.close()
      }
      expect(outcomes[0]).toEqual(outcomes[1])
      const failed = outcomes[0]!.filter((s) => s === 500).length
      expect(failed).toBeGreaterThan(0)
      expect(failed).toBeLessThan(20)
    })
  })

  describe('the clock', () => {
    it('moves by hand only when it is manual', async () => {
      t = await createTestApp({ clock: systemClock })
      const admin = await t.key('ops', { admin: true })
      expect((await t.request('GET', '/admin/v1/clock', { key: admin })).body).toMatchObject({
        mode: 'real',
        speed: 1,
      })
      const res = await t.request('POST', '/admin/v1/clock/advance', { key: admin, body: { ms: 1000 } })
      expect(res.status).toBe(409)
      expect(res.body.error).toContain('PODPLANE_SIM_SPEED=0')
    })
  })
})
