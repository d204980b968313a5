import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/store/database.js'
import { migrator } from '../../src/store/migrate.js'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { scratchPostgres, TEST_PG_URL } from '../helpers/databases.js'
import { expectAllocationsConsistent } from '../helpers/invariants.js'
import { machine } from '../helpers/machines.js'

describe('PostgreSQL connections lost under load', () => {
  const appName = `podplane-test-${randomBytes(4).toString('hex')}`
  let t: TestApp
  let url: string
  let key: string
  beforeAll(async () => {
    t = await createTestApp({
      machines: [machine({ gpu_count: 8, vcpu_count: 256, memory_gb: 2048, disk_gb: 100_000 })],
      pool: { size: 8, applicationName: appName },
    })
    key = await t.key('alice')
    url = await t.app.listen({ host: '127.0.0.1', port: 0 })
  })
  afterAll(() => t.close())

  it('answers every request with a success or a retryable 503, then recovers', async () => {
    const admin = new pg.Client({ connectionString: TEST_PG_URL })
    await admin.connect()
    let terminated = 0
    let loading = true
    let answered = 0
    const pause = () => new Promise((r) => setTimeout(r, 20))
    // Kills the app's connections again and again, but each time only once some request has been
    // answered since the last kill: however slow the machine, the load sees both faults and recoveries.
    const killer = (async () => {
      while (loading) {
        const res = await admin.query(
          'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1',
          [appName],
        )
        terminated += res.rowCount ?? 0
        const seen = answered
        while (loading && answered === seen) await pause()
        for (let i = 0; i < 5 && loading; i++) await pause()
      }
    })()
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
    const results: { create?: string; status: number; body: any; retryAfter: string | null }[] = []
    const worker = async (round: number, n: number) => {
      for (let i = 0; i < 25; i++) {
        const create =
          i % 3 === 0
            ? JSON.stringify({
                name: `r${round}-w${n}-${i}`,
                imageName: `w${n}`,
                gpuCount: 1,
                containerDiskInGb: 1,
                volumeInGb: 0,
              })
            : undefined
        const res = await fetch(create ? `${url}/v1/pods` : `${url}/v1/pods?includeMachine=true`, {
          method: create ? 'POST' : 'GET',
          headers,
          body: create,
        })
        results.push({
          create,
          status: res.status,
          body: await res.json(),
          retryAfter: res.headers.get('retry-after'),
        })
        if (res.status < 300) answered += 1
      }
    }
    // A kill shows only where it lands on a request in flight; on a fast machine a round can miss
    // every time, so rounds of 300 requests go on until one did (at most eight).
    for (let round = 0; round < 8 && !results.some((r) => r.status === 503); round++)
      await Promise.all(Array.from({ length: 12 }, (_, n) => worker(round, n)))
    loading = false
    await killer
    await admin.end()

    expect(terminated).toBeGreaterThan(0)
    // Some requests ran into a killed connection and said so; the others went through.
    expect(results.some((r) => r.status === 503)).toBe(true)
    expect(results.some((r) => r.status === 200)).toBe(true)
    expect(results.length % 300).toBe(0)
    for (const r of results) {
      if (r.status === 503) {
        expect(r.body).toEqual({ error: 'the store is unavailable just now; retry the request', status: 503 })
        expect(r.retryAfter).toBe('1')
      } else if (!r.create) {
        expect(r.status, JSON.stringify(r.body)).toBe(200)
      } else {
        // A pod, or RunPod's no-capacity answer once the 8 GPUs are taken: never a bare 500.
        expect([201, 500], JSON.stringify(r.body)).toContain(r.status)
        if (r.status === 500)
          expect(r.body.error).toBe('create pod: There are no instances currently available')
      }
    }
    const after = await fetch(`${url}/v1/pods`, { headers })
    expect(after.status).toBe(200)
    expect((await fetch(`${url}/readyz`)).status).toBe(200)

    // Nothing was lost silently: each 201 is a pod, and no other request left one behind.
    const created = results.filter((r) => r.create && r.status === 201)
    const refused = results.filter((r) => r.create && r.status === 503)
    const name = (r: (typeof results)[number]) => JSON.parse(r.create!).name as string
    const stored = async () => {
      const pods = await t.db
        .selectFrom('pods')
        .select(['name', 'status'])
        .where('user_id', '=', 'alice')
        .execute()
      const billed = await t.db
        .selectFrom('usage_intervals')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', 'alice')
        .where('kind', '=', 'pod_running')
        .where('ended_at', 'is', null)
        .executeTakeFirstOrThrow()
      return {
        pods: pods.map((p) => p.name).sort(),
        live: pods.filter((p) => p.status !== 'TERMINATED').length,
        billedNow: Number(billed.n),
      }
    }
    expect(await stored()).toEqual({
      pods: created.map(name).sort(),
      live: created.length,
      billedNow: created.length,
    })
    await expectAllocationsConsistent(t.db)

    // Each create that got a 503 goes through when sent again: at once while the machine has
    // room, and after a delete (of a pod created before) when it is full.
    const send = (method: string, path: string, body?: string) =>
      fetch(`${url}${path}`, { method, headers, body })
    const live = created.map((r) => r.body.id as string)
    const full = async () => {
      const [m] = await t.db.selectFrom('machines').select(['gpu_count', 'gpu_used']).execute()
      return m!.gpu_used >= m!.gpu_count
    }
    for (const r of refused) {
      if (await full()) expect((await send('DELETE', `/v1/pods/${live.shift()}`)).status).toBe(204)
      const retry = await send('POST', '/v1/pods', r.create)
      const pod = (await retry.json()) as { id: string }
      expect(retry.status, JSON.stringify(pod)).toBe(201)
      live.push(pod.id)
    }
    for (const id of live) expect((await send('DELETE', `/v1/pods/${id}`)).status).toBe(204)
    expect(await stored()).toEqual({
      pods: [...created, ...refused].map(name).sort(),
      live: 0,
      billedNow: 0,
    })
    await expectAllocationsConsistent(t.db)
  }, 60_000)
})

describe('migrations', () => {
  it('run once when several replicas start together', async () => {
    const scratch = await scratchPostgres()
    try {
      const handles = await Promise.all([1, 2, 3, 4].map(() => openDatabase(scratch.location)))
      const migrations = await (await migrator(handles[0]!.db as Kysely<unknown>)).getMigrations()
      expect(migrations.length).toBeGreaterThan(0)
      expect(migrations.every((m) => m.executedAt)).toBe(true)
      await Promise.all(handles.map((h) => h.db.destroy()))
    } finally {
      await scratch.drop()
    }
  })

  it('run while other schemas of the database come and go', async () => {
    // Another deployment's or test run's schemas, created and dropped without pause.
    const churn = new pg.Client({ connectionString: TEST_PG_URL })
    await churn.connect()
    let churning = true
    const churned = (async () => {
      while (churning) {
        const schema = `churn_${randomBytes(4).toString('hex')}`
        await churn.query(`create schema ${schema}; create table ${schema}.t (id serial primary key, n int)`)
        await churn.query(`drop schema ${schema} cascade`)
      }
    })()
    try {
      for (let i = 0; i < 12; i++) {
        const scratch = await scratchPostgres()
        try {
          const handle = await openDatabase(scratch.location)
          await handle.db.destroy()
        } finally {
          await scratch.drop()
        }
      }
    } finally {
      churning = false
      await churned
      await churn.end()
    }
  })
})
