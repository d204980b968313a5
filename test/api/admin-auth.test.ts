import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'

const ROUTES: Array<[string, string, unknown?]> = [
  ['GET', '/admin/v1/machines'],
  [
    'POST',
    '/admin/v1/machines',
    { dataCenterId: 'US-TX-3', gpuTypeId: 'NVIDIA A40', vcpuCount: 8, memoryInGb: 64, diskInGb: 500 },
  ],
  ['GET', '/admin/v1/machines/m1'],
  ['PATCH', '/admin/v1/machines/m1', { note: 'x' }],
  ['POST', '/admin/v1/machines/m1/cordon'],
  ['POST', '/admin/v1/machines/m1/uncordon'],
  ['POST', '/admin/v1/machines/m1/drain'],
  ['POST', '/admin/v1/machines/m1/fail'],
  ['POST', '/admin/v1/machines/m1/recover'],
  ['DELETE', '/admin/v1/machines/m1'],
  ['GET', '/admin/v1/gputypes'],
  [
    'POST',
    '/admin/v1/gputypes',
    { id: 'X', displayName: 'X', memoryInGb: 8, securePrice: 1, communityPrice: 1 },
  ],
  ['PATCH', '/admin/v1/gputypes/X', { securePrice: 2 }],
  ['GET', '/admin/v1/datacenters'],
  ['POST', '/admin/v1/datacenters', { id: 'XX-1', location: 'x', countryCode: 'XX' }],
  ['PATCH', '/admin/v1/datacenters/XX-1', { location: 'y' }],
  ['GET', '/admin/v1/users'],
  ['POST', '/admin/v1/users/carol/disable'],
  ['POST', '/admin/v1/users/carol/enable'],
  ['GET', '/admin/v1/users/carol/usage'],
  ['GET', '/admin/v1/clock'],
  ['POST', '/admin/v1/clock/advance', { ms: 1 }],
  ['POST', '/admin/v1/simulator/tick'],
]

describe('admin authentication', () => {
  let t: TestApp
  let user: string
  let admin: string
  beforeAll(async () => {
    t = await createTestApp()
    user = await t.key('alice')
    admin = await t.key('ops', { admin: true })
    await t.key('carol')
  })
  afterAll(() => t.close())

  it.each(ROUTES)(
    '%s %s: 401 without a key, 403 with a user key, served with an admin key',
    async (method, url, body) => {
      expect((await t.request(method, url, { body })).status).toBe(401)
      const forbidden = await t.request(method, url, { key: user, body })
      expect(forbidden.status).toBe(403)
      expect(forbidden.body).toEqual({ error: 'this route needs an admin key', status: 403 })
      const served = await t.request(method, url, { key: admin, body })
      expect([401, 403]).not.toContain(served.status)
      expect(served.status).toBeLessThan(500)
    },
  )

  it('lets an admin key use the user API as its own user only', async () => {
    const alicePod = await t.request('POST', '/v1/pods', { key: user, body: { imageName: 'x' } })
    expect((await t.request('GET', '/v1/pods', { key: admin })).body).toEqual([])
    expect((await t.request('GET', `/v1/pods/${alicePod.body.id}`, { key: admin })).status).toBe(404)
    const own = await t.request('POST', '/v1/pods', { key: admin, body: { imageName: 'x' } })
    expect(own.body.consumerUserId).toBe('ops')
  })
})
