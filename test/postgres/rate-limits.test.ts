import { afterEach, describe, expect, it } from 'vitest'
import { buildApp } from '../../src/api/app.js'
import { createContext } from '../../src/context.js'
import { openDatabase } from '../../src/store/database.js'
import { createStore } from '../../src/store/store.js'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { assertMatchesV2Spec } from '../helpers/spec-v2.js'

const MINUTE = 60_000

describe('v2 rate limits on PostgreSQL', () => {
  let t: TestApp
  afterEach(() => t.close())

  it('shares one quota between replicas on PostgreSQL', async () => {
    const limits = { minute: 4 }
    t = await createTestApp({ rateLimits: limits })
    const alice = await t.key('alice')
    const other = createStore(await openDatabase(t.location))
    const ctx = await createContext(
      other,
      { simBootMs: 0, secret: 'test-secret', rateLimits: limits },
      t.clock,
    )
    const replica = await buildApp(ctx)
    try {
      const viaReplica = async () => {
        const res = await replica.inject({
          method: 'GET',
          url: '/v2/pods',
          headers: { authorization: `Bearer ${alice}` },
        })
        const body = res.json()
        assertMatchesV2Spec({
          method: 'GET',
          url: '/v2/pods',
          status: res.statusCode,
          body,
          headers: res.headers,
          metered: true,
        })
        return res
      }
      expect((await t.request('GET', '/v2/pods', { key: alice })).status).toBe(200)
      expect((await viaReplica()).statusCode).toBe(200)
      expect((await t.request('GET', '/v2/pods', { key: alice })).status).toBe(200)
      const fourth = await viaReplica()
      expect(fourth.headers.ratelimit).toMatch(/^"minute";r=0;/)
      expect((await t.request('GET', '/v2/pods', { key: alice })).status).toBe(429)
      expect((await viaReplica()).statusCode).toBe(429)
      t.clock.advance(MINUTE)
      expect((await viaReplica()).statusCode).toBe(200)
    } finally {
      await replica.close()
      await other.close()
    }
  })
})
