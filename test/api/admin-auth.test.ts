import { afterAll, describe, expect, it, vi } from 'vitest'
import { createTestApp } from '../helpers/app.js'

/** Every route the app registers, as Fastify's onRoute hook sees it while buildApp runs. */
const registered = vi.hoisted(() => [] as { method: string; url: string }[])

vi.mock('fastify', async (importOriginal) => {
  const real = await importOriginal<typeof import('fastify')>()
  const factory = ((options?: Parameters<typeof real.default>[0]) => {
    const app = real.default(options)
    app.addHook('onRoute', (route) => {
      for (const method of [route.method].flat()) registered.push({ method, url: route.url })
    })
    return app
  }) as typeof real.default
  return { ...real, default: factory }
})

const t = await createTestApp()
const user = await t.key('alice')
const admin = await t.key('ops', { admin: true })

/**
 * The admin routes with a dummy value in each path parameter. HEAD routes are Fastify's copies of
 * the GET ones. No body is sent: authentication runs on `onRequest`, before the body is parsed or
 * validated, so 401 and 403 come first whatever the body.
 */
const ADMIN_ROUTES = [
  ...new Set(
    registered
      .filter((r) => r.url.startsWith('/admin/v1/') && r.method !== 'HEAD')
      .map((r) => `${r.method} ${r.url.replace(/:[^/]+/g, 'dummy').replace(/\*/g, 'dummy')}`),
  ),
].map((route) => route.split(' ') as [string, string])

describe('admin authentication', () => {
  afterAll(() => t.close())

  it('checks every admin route the app registers', () => {
    const routes = ADMIN_ROUTES.map(([method, url]) => `${method} ${url}`)
    expect(routes).toEqual(
      expect.arrayContaining([
        'GET /admin/v1/machines',
        'DELETE /admin/v1/machines/dummy',
        'PATCH /admin/v1/gputypes/dummy',
        'GET /admin/v1/users/dummy/usage',
        'PUT /admin/v1/users/dummy/rate-limits',
        'POST /admin/v1/clock/advance',
      ]),
    )
  })

  it.each(ADMIN_ROUTES)(
    '%s %s: 401 without a key, 403 with a user key, past authentication with an admin key',
    async (method, url) => {
      const anonymous = await t.request(method, url)
      expect(anonymous.status).toBe(401)
      expect(anonymous.body.error).toMatch(/missing API key/)
      const forbidden = await t.request(method, url, { key: user })
      expect(forbidden.status).toBe(403)
      expect(forbidden.body).toEqual({ error: 'this route needs an admin key', status: 403 })
      // The dummy id or the missing body may be refused, but by the route, not by authentication.
      const served = await t.request(method, url, { key: admin })
      expect([401, 403]).not.toContain(served.status)
      expect(served.status).toBeLessThan(500)
    },
  )

  it('answers 403 to a user key before it looks at a body, even a malformed one', async () => {
    const res = await t.request('PUT', '/admin/v1/users/alice/rate-limits', {
      key: user,
      rawBody: '{"minute":',
    })
    expect(res.status).toBe(403)
    expect((await t.request('PUT', '/admin/v1/users/alice/rate-limits', { rawBody: '{' })).status).toBe(401)
  })

  it('lets an admin key use the user API as its own user only', async () => {
    const alicePod = await t.request('POST', '/v1/pods', { key: user, body: { imageName: 'x' } })
    expect((await t.request('GET', '/v1/pods', { key: admin })).body).toEqual([])
    expect((await t.request('GET', `/v1/pods/${alicePod.body.id}`, { key: admin })).status).toBe(404)
    const own = await t.request('POST', '/v1/pods', { key: admin, body: { imageName: 'x' } })
    expect(own.body.consumerUserId).toBe('ops')
  })
})
