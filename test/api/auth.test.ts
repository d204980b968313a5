import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { openDatabase } from '../../src/store/database.js'
import { createStore } from '../../src/store/store.js'
import { createTestApp, type TestApp } from '../helpers/app.js'

const ROUTES: Array<[string, string]> = [
  ['GET', '/v1/pods'],
  ['POST', '/v1/pods'],
  ['GET', '/v1/pods/abc'],
  ['PATCH', '/v1/pods/abc'],
  ['POST', '/v1/pods/abc/update'],
  ['DELETE', '/v1/pods/abc'],
  ['POST', '/v1/pods/abc/start'],
  ['POST', '/v1/pods/abc/stop'],
  ['POST', '/v1/pods/abc/restart'],
  ['POST', '/v1/pods/abc/reset'],
]

describe('authentication', () => {
  let t: TestApp
  let key: string
  beforeAll(async () => {
    t = await createTestApp()
    key = await t.key('alice')
  })
  afterAll(() => t.close())

  it.each(ROUTES)('%s %s without a key answers 401 in RunPod’s error shape', async (method, url) => {
    const res = await t.request(method, url)
    expect(res.status).toBe(401)
    expect(res.body).toEqual({ error: expect.stringContaining('missing API key'), status: 401 })
  })

  it.each([
    ['Basic dXNlcjpwYXNz', 'malformed'],
    ['Bearer', 'malformed'],
    ['rpa_NOTBEARER', 'malformed'],
    ['Bearer rpa_DOESNOTEXIST', 'invalid API key'],
  ])('rejects Authorization "%s" as %s', async (authorization, message) => {
    const res = await t.request('GET', '/v1/pods', { headers: { authorization } })
    expect(res.status).toBe(401)
    expect(res.body.error).toContain(message)
  })

  it('accepts a valid key, case-insensitively on "Bearer"', async () => {
    expect((await t.request('GET', '/v1/pods', { headers: { authorization: `bearer ${key}` } })).status).toBe(
      200,
    )
    expect((await t.request('GET', '/v1/pods', { key })).status).toBe(200)
  })

  it('stops accepting a key the moment it is revoked', async () => {
    const doomed = await t.key('bob')
    expect((await t.request('GET', '/v1/pods', { key: doomed })).status).toBe(200)
    const [row] = (await t.store.apiKeys.list('bob')).slice(-1)
    await t.store.apiKeys.revoke(row!.id, t.clock.now())
    expect((await t.request('GET', '/v1/pods', { key: doomed })).status).toBe(401)
  })

  it('refuses a key revoked, or a user disabled, by another process on the same file at once', async () => {
    const revoked = await t.key('dave')
    const disabled = await t.key('erin')
    expect((await t.request('GET', '/v1/pods', { key: revoked })).status).toBe(200)
    expect((await t.request('GET', '/v1/pods', { key: disabled })).status).toBe(200)
    const other = createStore(await openDatabase(t.location))
    try {
      const [row] = await other.apiKeys.list('dave')
      await other.apiKeys.revoke(row!.id, t.clock.now())
      await other.users.setDisabled('erin', t.clock.now())
    } finally {
      await other.close()
    }
    expect((await t.request('GET', '/v1/pods', { key: revoked })).status).toBe(401)
    expect((await t.request('GET', '/v1/pods', { key: disabled })).status).toBe(401)
    expect((await t.request('GET', '/v1/pods', { key })).status).toBe(200)
  })

  it('keeps a key found while other things are written (SQLite), not past a change to users', async () => {
    const frank = await t.key('frank')
    expect((await t.request('GET', '/v1/pods', { key: frank })).status).toBe(200)
    const lookups = vi.spyOn(t.store.apiKeys, 'ownerOf')
    try {
      for (let i = 0; i < 3; i++) {
        const created = await t.request('POST', '/v1/pods', { key: frank, body: { imageName: 'x' } })
        expect(created.status).toBe(201)
      }
      expect((await t.request('GET', '/v1/pods', { key: frank })).status).toBe(200)
      // PostgreSQL looks every request's key up (other replicas may have revoked it).
      expect(lookups).toHaveBeenCalledTimes(t.store.dialect === 'sqlite' ? 0 : 4)
      await t.store.users.setDisabled('frank', t.clock.now())
      expect((await t.request('GET', '/v1/pods', { key: frank })).status).toBe(401)
    } finally {
      lookups.mockRestore()
    }
  })

  it('stores only a hash of the key', async () => {
    const fresh = await t.key('carol')
    const rows = await t.store.apiKeys.list('carol')
    expect(JSON.stringify(rows)).not.toContain(fresh)
    expect(rows[0]!.key_hash).toMatch(/^[0-9a-f]{64}$/)
  })

  it('leaves /healthz open', async () => {
    const res = await t.request('GET', '/healthz')
    expect(res).toMatchObject({ status: 200, body: { status: 'ok' } })
  })

  it('answers unknown routes with a JSON 404', async () => {
    const res = await t.request('GET', '/v1/nothing-here', { key })
    expect(res.status).toBe(404)
  })
})
