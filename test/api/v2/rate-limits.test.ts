import { afterEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.js'

describe('v2 rate limits', () => {
  let t: TestApp
  afterEach(() => t.close())

  it('counts each user’s requests per window, then answers 429 with Retry-After until the window turns', async () => {
    t = await createTestApp({ rateLimits: { minute: 3, hour: 6 } })
    // 10 s into a minute, so the minute window has 50 s left.
    t.clock.set(Date.parse('2026-03-01T10:00:10Z'))
    const alice = await t.key('alice')
    const bob = await t.key('bob')
    const list = (key: string) => t.request('GET', '/v2/pods', { key })

    const states: string[] = []
    for (let i = 0; i < 3; i++) {
      const res = await list(alice)
      expect(res.status).toBe(200)
      states.push(String(res.headers.ratelimit))
      expect(res.headers['ratelimit-policy']).toBe('"minute";q=3;w=60, "hour";q=6;w=3600')
    }
    expect(states).toEqual([
      '"minute";r=2;t=50, "hour";r=5;t=3590',
      '"minute";r=1;t=50, "hour";r=4;t=3590',
      '"minute";r=0;t=50, "hour";r=3;t=3590',
    ])
    const refused = await list(alice)
    expect(refused.status).toBe(429)
    expect(refused.headers['retry-after']).toBe('50')
    expect(refused.body).toEqual({
      title: 'Too Many Requests',
      status: 429,
      detail: 'rate limit exceeded for the minute window',
    })
    expect(refused.headers.ratelimit).toBe('"minute";r=0;t=50, "hour";r=2;t=3590')
    // Every route is metered, errors included; other users have their own quota.
    expect((await t.request('GET', '/v2/pods/nope', { key: alice })).status).toBe(429)
    expect((await list(bob)).status).toBe(200)

    t.clock.advance(50_000)
    const next = await list(alice)
    expect(next.status).toBe(200)
    // The refused requests counted against the hour too: it is now spent.
    expect(next.headers.ratelimit).toBe('"minute";r=2;t=60, "hour";r=0;t=3540')
    const hourly = await list(alice)
    expect(hourly.status).toBe(429)
    expect(hourly.body.detail).toBe('rate limit exceeded for the hour window')
    expect(hourly.headers['retry-after']).toBe('3540')
  })

  it('lets the operator give one user other quotas, and take them back', async () => {
    t = await createTestApp({ rateLimits: { minute: 2, hour: 100, day: 1000 } })
    const alice = await t.key('alice')
    const admin = await t.key('root', { admin: true })
    const set = await t.request('PUT', '/admin/v1/users/alice/rate-limits', {
      key: admin,
      body: { minute: 10, day: null },
    })
    expect(set.status).toBe(200)
    expect(set.body.rateLimits).toEqual({ minute: 10, hour: null, day: null })
    const res = await t.request('GET', '/v2/pods', { key: alice })
    expect(res.headers['ratelimit-policy']).toBe(
      '"minute";q=10;w=60, "hour";q=100;w=3600, "day";q=1000;w=86400',
    )
    for (let i = 0; i < 4; i++) expect((await t.request('GET', '/v2/pods', { key: alice })).status).toBe(200)

    await t.request('PUT', '/admin/v1/users/alice/rate-limits', { key: admin, body: { minute: null } })
    expect((await t.request('GET', '/v2/pods', { key: alice })).status).toBe(429)
    const bad = await t.request('PUT', '/admin/v1/users/alice/rate-limits', {
      key: admin,
      body: { minute: 0 },
    })
    expect(bad.status).toBe(400)
    const missing = await t.request('PUT', '/admin/v1/users/nobody/rate-limits', {
      key: admin,
      body: { minute: 5 },
    })
    expect(missing.status).toBe(404)
  })

  it('sends no rate-limit headers when limits are off, and meters no unauthenticated request', async () => {
    t = await createTestApp({ rateLimits: {} })
    const alice = await t.key('alice')
    const res = await t.request('GET', '/v2/pods', { key: alice })
    expect(res.status).toBe(200)
    expect(res.headers.ratelimit).toBeUndefined()
    expect(res.headers['ratelimit-policy']).toBeUndefined()
    const anonymous = await t.request('GET', '/v2/pods')
    expect(anonymous.status).toBe(401)
    expect(anonymous.headers.ratelimit).toBeUndefined()
    expect(anonymous.body.detail).toMatch(/missing API key/)
  })
})
