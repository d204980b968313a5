import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { insertNetworkVolume, insertTemplate } from '../helpers/fixtures.js'
import { machine } from '../helpers/machines.js'

describe('GET /v1/pods query count', () => {
  let t: TestApp
  let key: string
  let queries: string[] = []
  beforeAll(async () => {
    t = await createTestApp({
      machines: Array.from({ length: 12 }, () => machine({ data_center_id: 'EU-RO-1', gpu_count: 8 })),
      onQuery: (sql) => queries.push(sql),
    })
    key = await t.key('alice')
    await insertTemplate(t.db, { id: 'tplofficial' })
    await insertNetworkVolume(t.db, { id: 'volro00001', userId: 'alice', dataCenterId: 'EU-RO-1' })
  })
  afterAll(() => t.close())

  const countFor = async (url: string) => {
    queries = []
    const res = await t.request('GET', url, { key })
    expect(res.status).toBe(200)
    return { count: queries.length, pods: res.body.length as number }
  }

  it('stays bounded however many pods the list holds (no N+1)', async () => {
    const all =
      '/v1/pods?includeMachine=true&includeNetworkVolume=true&includeSavingsPlans=true&includeTemplate=true'
    await t.request('POST', '/v1/pods', {
      key,
      body: { templateId: 'tplofficial', networkVolumeId: 'volro00001' },
    })
    const one = await countFor(all)
    for (let i = 0; i < 40; i++) {
      await t.request('POST', '/v1/pods', {
        key,
        body: { templateId: 'tplofficial', networkVolumeId: 'volro00001' },
      })
    }
    const many = await countFor(all)
    expect(many.pods).toBe(41)
    expect(many.count).toBe(one.count)
    // auth + change signature + pod heads + plans + volumes + templates + the pods rendered anew
    expect(many.count).toBeLessThanOrEqual(7)
  })

  it('answers a list that did not change from kept bytes: no query on SQLite, the key lookup on PostgreSQL', async () => {
    const url = '/v1/pods?includeMachine=true&includeNetworkVolume=true&includeTemplate=true'
    await countFor(url)
    // SQLite sees every write to the file (the store's data generation); PostgreSQL must ask,
    // since other replicas write unseen: the key lookup also returns its snapshot, unchanged.
    expect((await countFor(url)).count).toBe(t.store.dialect === 'sqlite' ? 0 : 1)
  })

  it('answers GET of a pod that did not change from kept bytes, with the same queries as a list', async () => {
    const [pod] = (await t.request('GET', '/v1/pods', { key })).body
    const url = `/v1/pods/${pod.id}?includeMachine=true&includeTemplate=true`
    queries = []
    expect((await t.request('GET', url, { key })).status).toBe(200)
    queries = []
    expect((await t.request('GET', url, { key })).body.id).toBe(pod.id)
    expect(queries.length).toBe(t.store.dialect === 'sqlite' ? 0 : 1)
  })

  it('looks up the keys of requests arriving together in one query', async () => {
    const bob = await t.key('bob')
    await t.request('POST', '/v1/pods', { key: bob, body: { imageName: 'x' } })
    const keys = [key, bob, key, 'not-a-key', bob, key]
    const expected = async () => Promise.all(keys.map((k) => t.request('GET', '/v1/pods', { key: k })))
    // Once so that every list answer is kept; then the same requests, all at once.
    const first = await expected()
    queries = []
    const answers = await expected()
    // SQLite keeps the owners it found and asks only for the unknown key; PostgreSQL asks for all
    // six in one query.
    expect(queries.length).toBe(1)
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 401, 200, 200])
    expect(answers.map((a) => a.body.length)).toEqual(first.map((a) => a.body.length))
    expect(answers[0]!.body.length).toBe(41)
    expect(answers[1]!.body.length).toBe(1)
  })

  it('shows a create in the very next list, whose answer is then kept again', async () => {
    const url = '/v1/pods'
    await countFor(url)
    await t.request('POST', '/v1/pods', { key, body: { imageName: 'x' } })
    const seen = await countFor(url)
    expect(seen.pods).toBe(42)
    expect((await countFor(url)).count).toBe(t.store.dialect === 'sqlite' ? 0 : 1)
  })
})
