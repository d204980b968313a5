import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { machine } from '../helpers/machines.js'

describe('bad input', () => {
  let t: TestApp
  let key: string
  let podId: string
  beforeAll(async () => {
    t = await createTestApp({ machines: [machine()] })
    key = await t.key('alice')
    podId = (await t.request('POST', '/v1/pods', { key, body: { imageName: 'x' } })).body.id
  })
  afterAll(() => t.close())

  const tables = async () => ({
    pods: await t.db.selectFrom('pods').selectAll().execute(),
    machines: await t.db.selectFrom('machines').selectAll().execute(),
    allocations: await t.db.selectFrom('allocations').selectAll().execute(),
  })

  const routesWithBodies = () => [
    ['POST', '/v1/pods'],
    ['PATCH', `/v1/pods/${podId}`],
    ['POST', `/v1/pods/${podId}/update`],
  ]

  it.each([
    ['{"imageName": "x",', 'malformed JSON body'],
    ['{imageName: x}', 'malformed JSON body'],
    ['[1, 2]', 'body must be object'],
    ['"a string"', 'body must be object'],
    ['null', 'body must be object'],
  ])('answers %s with 400 on every route that takes a body, and writes nothing', async (raw, message) => {
    const before = await tables()
    for (const [method, url] of routesWithBodies()) {
      const res = await t.request(method!, url!, { key, rawBody: raw })
      expect(res.status, `${method} ${url}`).toBe(400)
      expect(res.body.error).toContain(message)
    }
    expect(await tables()).toEqual(before)
  })

  it('answers a non-JSON content type with 415', async () => {
    const res = await t.request('POST', '/v1/pods', {
      key,
      rawBody: 'imageName=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(res.status).toBe(415)
  })

  it('answers a missing body on create with 400', async () => {
    const res = await t.request('POST', '/v1/pods', { key })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('body must be object')
  })

  it('answers an oversized body with 413', async () => {
    const res = await t.request('POST', '/v1/pods', {
      key,
      body: { imageName: 'x', env: { BIG: 'x'.repeat(2_000_000) } },
    })
    expect(res.status).toBe(413)
  })

  it('keeps serving after a storm of bad requests', async () => {
    await Promise.all(Array.from({ length: 50 }, () => t.request('POST', '/v1/pods', { key, rawBody: '{' })))
    expect((await t.request('GET', `/v1/pods/${podId}`, { key })).status).toBe(200)
  })
})
