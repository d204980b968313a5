import { sql } from 'kysely'
import pg from 'pg'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { catalogRows } from '../../src/fleet/seed.js'
import { type DatabaseHandle, openDatabase } from '../../src/store/database.js'
import { createStore, type Store } from '../../src/store/store.js'
import { type ScratchDatabase, scratchPostgres } from '../helpers/databases.js'
import { machine } from '../helpers/machines.js'

/** Waits until `seen()` holds (the cache catches up asynchronously); fails after 10 s. */
async function until(seen: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000
  while (!seen()) {
    if (Date.now() > deadline) throw new Error('not seen within 10 s')
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** A client that is not podplane (psql, an operator's script): it names no writer. */
async function outsider(location: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: location })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

// No background work runs here: the cache never reads the whole fleet on a timer, so whatever it
// learns of other processes' changes, it learns from their notifications.
describe("a replica's fleet cache hears other processes' machine changes (PostgreSQL)", () => {
  let scratch: ScratchDatabase
  let handle: DatabaseHandle
  /** The replica whose cache is watched. */
  let mine: Store
  /** Another replica (or the CLI) on the same database. */
  let other: Store
  let failures: Error[]

  beforeEach(async () => {
    scratch = await scratchPostgres()
    handle = await openDatabase(scratch.location)
    mine = createStore(handle)
    other = createStore(await openDatabase(scratch.location))
    await mine.catalog.insertMissing(catalogRows())
    await mine.machines.insertMany([machine({ id: 'm1', gpu_count: 8 }), machine({ id: 'm2', gpu_count: 8 })])
    failures = []
    expect(mine.writesElsewhere()).toBeUndefined() // not listening: other processes' writes unseen
    await mine.followMachineChanges((error) => failures.push(error))
    await mine.fleet.ready()
  })
  afterEach(async () => {
    await mine.close()
    await other.close()
    await scratch.drop()
  })

  it('reads again the machines another replica changed, and no others', async () => {
    expect(mine.writesElsewhere()).toBe(0) // listening: nothing to read the whole fleet for
    const reloads = vi.spyOn(mine.fleet, 'reload')
    const refreshes = vi.spyOn(mine.fleet, 'refresh')
    await other.machines.update('m1', { cordoned: 1, note: 'drained by the other replica' })
    await until(() => mine.fleet.row('m1')?.cordoned === 1)
    expect(mine.fleet.row('m1')?.note).toBe('drained by the other replica')
    expect(reloads.mock.calls.flatMap(([ids]) => [...ids])).toEqual(['m1'])
    expect(refreshes).not.toHaveBeenCalled()
    expect(failures).toEqual([])
  })

  it('sees capacity another replica freed, so a pod can go there at once', async () => {
    await mine.machines.update('m1', { gpu_used: 8 })
    await mine.machines.update('m2', { gpu_used: 8 })
    expect((await mine.fleet.candidates({ gpuTypeIds: ['NVIDIA GeForce RTX 4090'] })).length).toBe(0)
    await other.machines.update('m2', { gpu_used: 2 })
    await until(() => mine.fleet.row('m2')?.gpu_used === 2)
    const open = await mine.fleet.candidates({ gpuTypeIds: ['NVIDIA GeForce RTX 4090'] })
    expect(open.map((m) => [m.id, m.gpuFree])).toEqual([['m2', 6]])
  })

  it('skips its own changes, which its cache holds already', async () => {
    const reloads = vi.spyOn(mine.fleet, 'reload')
    await mine.machines.update('m2', { note: 'mine' })
    // Notifications arrive in commit order: once the other replica's is in, its own was heard.
    await other.machines.update('m1', { note: 'theirs' })
    await until(() => mine.fleet.row('m1')?.note === 'theirs')
    expect(reloads.mock.calls.flatMap(([ids]) => [...ids])).toEqual(['m1'])
    expect(mine.fleet.row('m2')?.note).toBe('mine')
  })

  it('hears clients that are not podplane, and machines added or deleted', async () => {
    await outsider(scratch.location, `update machines set note = 'by hand' where id = 'm2'`)
    await until(() => mine.fleet.row('m2')?.note === 'by hand')
    await other.machines.insertMany([machine({ id: 'm3', gpu_count: 4 })])
    await until(() => mine.fleet.row('m3') !== undefined)
    await outsider(scratch.location, `delete from machines where id = 'm3'`)
    await until(() => mine.fleet.row('m3') === undefined)
  })

  it('reads the whole fleet again after a change naming more machines than a notification holds', async () => {
    const many = Array.from({ length: 700 }, (_, i) =>
      machine({ id: `bulk-machine-${String(i).padStart(4, '0')}` }),
    )
    await mine.machines.insertMany(many)
    const refreshes = vi.spyOn(mine.fleet, 'refresh')
    await outsider(scratch.location, `update machines set note = 'seen in bulk'`)
    await until(() => many.every((m) => mine.fleet.row(m.id)?.note === 'seen in bulk'))
    expect(mine.fleet.row('m1')?.note).toBe('seen in bulk')
    expect(refreshes).toHaveBeenCalled()
  })

  it('listens again after losing its connection, and reads what it may have missed', async () => {
    // Any pool connection tells this process's writer name, which names its listening connection.
    const { rows } = await sql<{
      writer: string
    }>`select current_setting('podplane.writer') as writer`.execute(handle.db)
    const name = `podplane:changes:${rows[0]!.writer}`
    const refreshes = vi.spyOn(mine.fleet, 'refresh')
    await outsider(
      scratch.location,
      `select pg_terminate_backend(pid) from pg_stat_activity where application_name = '${name}'`,
    )
    // Made while the connection is down (or just back): heard, or read with the whole fleet.
    await other.machines.update('m1', { note: 'while away' })
    await until(() => mine.fleet.row('m1')?.note === 'while away')
    await until(() => mine.writesElsewhere() === 0)
    expect(failures.length).toBeGreaterThan(0)
    expect(refreshes).toHaveBeenCalled()
    await other.machines.update('m2', { note: 'after' })
    await until(() => mine.fleet.row('m2')?.note === 'after')
  })
})
