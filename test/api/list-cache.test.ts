import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createContext } from '../../src/context.js'
import { openDatabase } from '../../src/store/database.js'
import { createStore } from '../../src/store/store.js'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { machine } from '../helpers/machines.js'

/** GET /v1/pods answers from kept bytes when nothing changed; these prove every change shows at once. */
describe('pod lists never serve stale data', () => {
  let t: TestApp
  let key: string
  beforeEach(async () => {
    t = await createTestApp({
      machines: [machine({ id: 'host', gpu_count: 8, vcpu_count: 128, memory_gb: 1024 })],
      bootMs: 1000,
    })
    key = await t.key('alice')
  })
  afterEach(() => t.close())

  const list = async (query = '') => (await t.request('GET', `/v1/pods${query}`, { key })).body as any[]
  const create = async (body: Record<string, unknown> = {}) =>
    (await t.request('POST', '/v1/pods', { key, body: { imageName: 'x', ...body } })).body

  it('shows a create, a stop, an update and a delete in the very next list', async () => {
    expect(await list()).toEqual([])
    const pod = await create()
    expect((await list()).map((p) => p.id)).toEqual([pod.id])
    await t.request('POST', `/v1/pods/${pod.id}/stop`, { key })
    expect((await list())[0].desiredStatus).toBe('EXITED')
    await t.request('PATCH', `/v1/pods/${pod.id}`, { key, body: { name: 'renamed' } })
    expect((await list())[0].name).toBe('renamed')
    await t.request('DELETE', `/v1/pods/${pod.id}`, { key })
    expect(await list()).toEqual([])
  })

  it('shows the IP the moment a boot completes', async () => {
    await create()
    expect((await list())[0].publicIp).toBeNull()
    t.clock.advance(999)
    expect((await list())[0].publicIp).toBeNull()
    t.clock.advance(1)
    expect((await list())[0].publicIp).not.toBeNull()
  })

  it('follows savings plans as they are bought, start and end', async () => {
    const pod = await create()
    t.clock.advance(1000)
    expect((await list())[0].adjustedCostPerHr).toBe(0.69)
    const start = t.clock.now() + 60_000
    await t.request('POST', `/v1/pods/${pod.id}/savingsplans`, {
      key,
      body: { term: 'ONE_WEEK', startTime: new Date(start).toISOString() },
    })
    expect((await list('?includeSavingsPlans=true'))[0].savingsPlans).toHaveLength(1)
    expect((await list())[0].adjustedCostPerHr).toBe(0.69)
    t.clock.set(start)
    expect((await list())[0].adjustedCostPerHr).toBe(0.66)
    t.clock.set(start + 7 * 86_400_000)
    expect((await list())[0].adjustedCostPerHr).toBe(0.69)
  })

  it('shows changes to embedded volumes, templates and machines', async () => {
    const volume = (
      await t.request('POST', '/v1/networkvolumes', {
        key,
        body: { name: 'before', size: 10, dataCenterId: 'US-TX-3' },
      })
    ).body
    const template = (
      await t.request('POST', '/v1/templates', { key, body: { name: 'tpl', imageName: 'x' } })
    ).body
    await create({ networkVolumeId: volume.id, templateId: template.id })
    const all = '?includeNetworkVolume=true&includeTemplate=true&includeMachine=true'
    const first = (await list(all))[0]
    expect(first).toMatchObject({
      networkVolume: { name: 'before' },
      template: { name: 'tpl' },
      machine: { gpuAvailable: 7 },
    })
    await t.request('PATCH', `/v1/networkvolumes/${volume.id}`, { key, body: { name: 'after' } })
    expect((await list(all))[0].networkVolume.name).toBe('after')
    await t.request('PATCH', `/v1/templates/${template.id}`, { key, body: { readme: 'changed' } })
    expect((await list(all))[0].template.readme).toBe('changed')
    const bob = await t.key('bob')
    await t.request('POST', '/v1/pods', { key: bob, body: { imageName: 'x', gpuCount: 3 } })
    expect((await list(all))[0].machine.gpuAvailable).toBe(4)
  })

  it('shows catalog changes', async () => {
    await create()
    const admin = await t.key('ops', { admin: true })
    await t.request('PATCH', '/admin/v1/gputypes/NVIDIA GeForce RTX 4090', {
      key: admin,
      body: { displayName: 'RTX 4090 (renamed)' },
    })
    expect((await list())[0].gpu.displayName).toBe('RTX 4090 (renamed)')
  })

  it('GET /pods/{podId} shows every change at once: a stop, an update, a boot completing, a delete', async () => {
    const get = async (id: string, query = '') => t.request('GET', `/v1/pods/${id}${query}`, { key })
    const pod = await create()
    expect((await get(pod.id)).body.publicIp).toBeNull()
    expect((await get(pod.id)).body.publicIp).toBeNull()
    t.clock.advance(1000)
    expect((await get(pod.id)).body.publicIp).not.toBeNull()
    await t.request('POST', `/v1/pods/${pod.id}/stop`, { key })
    expect((await get(pod.id)).body.desiredStatus).toBe('EXITED')
    await t.request('PATCH', `/v1/pods/${pod.id}`, { key, body: { name: 'renamed' } })
    expect((await get(pod.id)).body.name).toBe('renamed')
    expect((await get(pod.id, '?includeMachine=true')).body.machine.gpuAvailable).toBe(8)
    const bob = await t.key('bob')
    await t.request('POST', '/v1/pods', { key: bob, body: { imageName: 'x', gpuCount: 3 } })
    expect((await get(pod.id, '?includeMachine=true')).body.machine.gpuAvailable).toBe(5)
    expect((await t.request('GET', `/v1/pods/${pod.id}`, { key: bob })).status).toBe(404)
    await t.request('DELETE', `/v1/pods/${pod.id}`, { key })
    expect((await get(pod.id)).status).toBe(404)
  })

  it('shows writes made by another replica on the same store', async () => {
    expect(await list()).toEqual([])
    const other = createStore(await openDatabase(t.location))
    try {
      const replica = await createContext(
        other,
        { simBootMs: 0, secret: 'test-secret', replicaId: 'replica-b' },
        t.clock,
      )
      const pod = await replica.pods.create('alice', { imageName: 'from-b' })
      expect((await list()).map((p) => p.id)).toEqual([pod.id])
      const one = async () => (await t.request('GET', `/v1/pods/${pod.id}`, { key })).body
      expect((await one()).desiredStatus).toBe('RUNNING')
      await replica.pods.act('alice', pod.id, 'stop')
      expect((await list())[0].desiredStatus).toBe('EXITED')
      expect((await one()).desiredStatus).toBe('EXITED')
    } finally {
      await other.close()
    }
  })
})
