import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'

/**
 * /healthz and /readyz are podplane's own (no RunPod spec to check them against), so they are
 * asked through `inject` directly. /readyz is what a load balancer routes on.
 */
describe('health and readiness', () => {
  let t: TestApp
  beforeEach(async () => {
    t = await createTestApp()
  })
  afterEach(() => t.close())

  const get = async (url: string) => {
    const res = await t.app.inject({ method: 'GET', url })
    expect(res.headers['content-type']).toMatch(/^application\/json/)
    return { status: res.statusCode, body: res.json() }
  }

  it('is alive and ready on a migrated store, without a key', async () => {
    expect(await get('/healthz')).toEqual({ status: 200, body: { status: 'ok' } })
    expect(await get('/readyz')).toEqual({ status: 200, body: { status: 'ready' } })
  })

  it('answers 503 while a migration is pending, and 200 again once it is applied', async () => {
    const { rows } = await sql<{ name: string; timestamp: string }>`
      select name, timestamp from kysely_migration order by name desc limit 1`.execute(t.db)
    const last = rows[0]!
    await sql`delete from kysely_migration where name = ${last.name}`.execute(t.db)

    expect(await get('/readyz')).toEqual({
      status: 503,
      body: { status: 'unavailable', detail: `migrations pending: ${last.name}` },
    })
    expect((await get('/healthz')).status).toBe(200)

    await sql`insert into kysely_migration (name, timestamp) values (${last.name}, ${last.timestamp})`.execute(
      t.db,
    )
    expect(await get('/readyz')).toEqual({ status: 200, body: { status: 'ready' } })
  })

  it('answers 503 naming the cause when the store cannot be reached', async () => {
    await t.store.close()
    const res = await get('/readyz')
    expect(res.status).toBe(503)
    expect(res.body).toEqual({
      status: 'unavailable',
      detail: expect.stringMatching(/^store unreachable: .+/),
    })
    expect((await get('/healthz')).status).toBe(200)
  })
})
