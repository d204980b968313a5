import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.js'
import { machine } from '../../helpers/machines.js'

const GPU = { id: 'NVIDIA GeForce RTX 4090', count: 1 }

describe('GET /v2/pods pagination', () => {
  let t: TestApp
  let key: string
  beforeEach(async () => {
    t = await createTestApp({ machines: Array.from({ length: 40 }, () => machine({ gpu_count: 8 })) })
    key = await t.key('alice')
  })
  afterEach(() => t.close())

  const create = async (name: string) => {
    const res = await t.request('POST', '/v2/pods', { key, body: { name, image: 'img', gpu: GPU } })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body.id as string
  }
  const page = (query: string, k = key) => t.request('GET', `/v2/pods${query}`, { key: k })

  it('lists newest first, a page at a time, to the end', async () => {
    const ids: string[] = []
    for (let i = 0; i < 23; i++) {
      ids.push(await create(`p${i}`))
      // Some pods share a creation time: the id breaks the tie.
      if (i % 3 === 0) t.clock.advance(1000)
    }
    const all = await page('')
    expect(all.body.pagination).toEqual({ nextCursor: null, hasNextPage: false })
    expect(all.body.pods).toHaveLength(23)
    const order = all.body.pods.map((p: { id: string }) => p.id)
    expect(new Set(order)).toEqual(new Set(ids))
    const created = all.body.pods.map((p: { createdAt: string }) => p.createdAt)
    expect([...created].sort().reverse()).toEqual(created)

    const walked: string[] = []
    let cursor: string | null = null
    let pages = 0
    do {
      const res = await page(`?limit=5${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      expect(res.status).toBe(200)
      expect(res.body.pods.length).toBeLessThanOrEqual(5)
      walked.push(...res.body.pods.map((p: { id: string }) => p.id))
      cursor = res.body.pagination.nextCursor
      expect(res.body.pagination.hasNextPage).toBe(cursor !== null)
      pages += 1
    } while (cursor)
    expect(pages).toBe(5)
    expect(walked).toEqual(order)
  })

  it('keeps every pod that existed throughout exactly once while others are created and deleted', async () => {
    const initial: string[] = []
    for (let i = 0; i < 60; i++) {
      initial.push(await create(`initial-${i}`))
      t.clock.advance(10)
    }
    // Pods deleted while the walk runs are the only ones allowed to be missing.
    const doomed = new Set(initial.filter((_, i) => i % 7 === 3))
    const doomedOrder = [...doomed]
    const seen: string[] = []
    let cursor: string | null = null
    let round = 0
    do {
      // Between pages, and at the same moment as the read, others write.
      const reads = page(`?limit=8${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`)
      const writes = Promise.all([
        create(`during-${round}-a`),
        create(`during-${round}-b`),
        doomedOrder[round] ? t.request('DELETE', `/v2/pods/${doomedOrder[round]}`, { key }) : undefined,
      ])
      const [res] = await Promise.all([reads, writes])
      expect(res.status).toBe(200)
      seen.push(...res.body.pods.map((p: { id: string }) => p.id))
      cursor = res.body.pagination.nextCursor
      t.clock.advance(10)
      round += 1
    } while (cursor)
    const counts = new Map<string, number>()
    for (const id of seen) counts.set(id, (counts.get(id) ?? 0) + 1)
    for (const id of initial) {
      if (doomed.has(id)) expect(counts.get(id) ?? 0).toBeLessThanOrEqual(1)
      else expect(counts.get(id), id).toBe(1)
    }
    expect([...counts.values()].every((n) => n === 1)).toBe(true)
  })

  it('accepts a cursor only from the user and query that were given it', async () => {
    for (let i = 0; i < 3; i++) await create(`p${i}`)
    const first = await page('?limit=1')
    const cursor = first.body.pagination.nextCursor as string
    expect(cursor).toEqual(expect.any(String))
    expect((await page(`?limit=2&cursor=${encodeURIComponent(cursor)}`)).status).toBe(200)

    const bob = await t.key('bob')
    const foreign = await page(`?cursor=${encodeURIComponent(cursor)}`, bob)
    expect(foreign.status).toBe(422)
    expect(foreign.body.detail).toMatch(/cursor/)
    const otherQuery = await page(`?includeClusterPods=true&cursor=${encodeURIComponent(cursor)}`)
    expect(otherQuery.status).toBe(422)
    const [payload, mac] = cursor.split('.')
    const forged = Buffer.from(JSON.stringify([0, 'zzz'])).toString('base64url')
    for (const bad of ['garbage', `${forged}.${mac}`, `${payload}.AAAA`, `${payload}.${mac}.x`, '']) {
      const res = await page(`?cursor=${encodeURIComponent(bad)}`)
      expect(res.status, bad).toBe(422)
    }
  })

  it('checks limit’s range', async () => {
    for (const limit of ['0', '1001', 'ten', '-1']) {
      const res = await page(`?limit=${limit}`)
      expect(res.status, limit).toBe(422)
      expect(res.body.errors[0]).toMatch(/^query\.limit: /)
    }
    expect((await page('?limit=1000')).status).toBe(200)
  })
})
