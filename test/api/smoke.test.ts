import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'

describe('smoke', () => {
  let t: TestApp
  let key: string
  beforeAll(async () => {
    t = await createTestApp()
    key = await t.key('alice')
  })
  afterAll(() => t.close())

  it('creates and lists a pod', async () => {
    const created = await t.request('POST', '/v1/pods', { key, body: { imageName: 'nginx', gpuCount: 1 } })
    expect(created.status).toBe(201)
    const list = await t.request('GET', '/v1/pods', { key })
    expect(list.body.map((p: { id: string }) => p.id)).toEqual([created.body.id])
  })
})
