import { afterEach, describe, expect, it } from 'vitest'
import { startBackgroundWork } from '../../src/fleet/background.js'
import { openDatabase } from '../../src/store/database.js'
import { createStore } from '../../src/store/store.js'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { machine } from '../helpers/machines.js'

const INTERVAL_MS = 40
const settle = () => new Promise((resolve) => setTimeout(resolve, INTERVAL_MS * 6))
/** The fleet cache's full read, page by page. */
const isFullFleetRead = (sql: string) => /from "machines" where "removed_at" is null and "id" >/.test(sql)

describe('the fleet cache kept by background work', () => {
  let t: TestApp
  let queries: string[] = []
  let stop: (() => Promise<void>) | undefined
  afterEach(async () => {
    await stop?.()
    stop = undefined
    await t.close()
  })

  const start = async () => {
    t = await createTestApp({ onQuery: (sql) => queries.push(sql) })
    await t.store.fleet.ready()
    queries = []
    stop = startBackgroundWork(t.ctx, t.app.log, INTERVAL_MS)
  }

  it('sees machines another process adds, reading the whole fleet for it on SQLite only', async () => {
    await start()
    await settle()
    // Idle, neither store reads the whole fleet: SQLite knows no other process wrote, PostgreSQL
    // listens for other processes' machine changes (once listening, it read the fleet once, for
    // what it could have missed before).
    const idleReads = queries.filter(isFullFleetRead).length
    if (t.store.dialect === 'sqlite') expect(idleReads).toBe(0)
    await settle()
    expect(queries.filter(isFullFleetRead).length).toBe(idleReads)

    const added = machine({ gpu_type_id: 'NVIDIA A40' })
    const other = createStore(await openDatabase(t.location))
    try {
      await other.machines.insertMany([added])
    } finally {
      await other.close()
    }
    await settle()
    expect(t.store.fleet.row(added.id)?.gpu_type_id).toBe('NVIDIA A40')
    // SQLite learns that another process wrote, not what: it reads the fleet again. PostgreSQL
    // hears which machine changed, and reads that one.
    if (t.store.dialect === 'sqlite') expect(queries.filter(isFullFleetRead).length).toBeGreaterThan(0)
    else expect(queries.filter(isFullFleetRead).length).toBe(idleReads)
  })

  it('sees another process change a machine it already holds', async () => {
    await start()
    const [held] = await t.store.machines.page('', 1)
    expect(t.store.fleet.row(held!.id)?.cordoned).toBe(0)
    const other = createStore(await openDatabase(t.location))
    try {
      await other.machines.update(held!.id, { cordoned: 1, note: 'drained elsewhere' })
    } finally {
      await other.close()
    }
    await settle()
    expect(t.store.fleet.row(held!.id)).toMatchObject({ cordoned: 1, note: 'drained elsewhere' })
  })

  it('places nothing on a machine the moment it is removed', async () => {
    await start()
    const admin = await t.key('ops', { admin: true })
    const key = await t.key('alice')
    const [only] = await t.store.machines.page('', 1)
    expect((await t.request('DELETE', `/admin/v1/machines/${only!.id}`, { key: admin })).status).toBe(204)
    expect(t.store.fleet.row(only!.id)).toBeUndefined()
    const created = await t.request('POST', '/v1/pods', { key, body: { imageName: 'x' } })
    expect(created.status).toBe(500)
  })
})
