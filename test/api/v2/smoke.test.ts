import { afterAll, beforeAll, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.js'

let t: TestApp
beforeAll(async () => {
  t = await createTestApp()
})
afterAll(() => t.close())

it('answers unknown v2 routes with a problem', async () => {
  const key = await t.key('alice')
  const res = await t.request('GET', '/v2/nothing', { key })
  expect(res.status).toBe(404)
  expect(res.body.detail).toMatch(/route not found/)
  expect(res.headers.ratelimit).toBeDefined()
  const anon = await t.request('GET', '/v2/nothing')
  expect(anon.status).toBe(401)
  const doc = await t.request('GET', '/v2/openapi.json')
  expect(doc.status).toBe(200)
  expect(doc.body.openapi).toBe('3.1.0')
})
