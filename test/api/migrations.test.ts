import { type Kysely, PostgresAdapter, sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/store/database.js'
import { HOST_PORT_FIRST } from '../../src/store/host-ports.js'
import { migrateToLatest } from '../../src/store/migrate.js'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { machine } from '../helpers/machines.js'

// Migrations that fill in a new column from existing data, run on a store from before them (the
// column dropped and the migration forgotten again), on both dialects.

let t: TestApp
afterEach(() => t?.close())

/** The column each of these migrations adds. */
const ADDED: Record<string, [table: string, column: string]> = {
  '0017-host-port-wraps': ['machines', 'host_ports_wrapped'],
  '0018-volume-tiers': ['usage_intervals', 'volume_type'],
}

/** Later migrations that add no column, and how to undo each. */
const LATER: Record<string, (db: Kysely<unknown>) => Promise<unknown>> = {
  // PostgreSQL's machine-change triggers go with their function; SQLite has none.
  '0019-machine-changes': (db) =>
    db.getExecutor().adapter instanceof PostgresAdapter
      ? sql`drop function podplane_machines_changed() cascade`.execute(db)
      : Promise.resolve(),
}

/** Takes the store back to before `migration`: it and those after it are undone and forgotten. */
async function undoFrom(db: Kysely<unknown>, migration: string): Promise<void> {
  for (const [name, undo] of Object.entries(LATER).reverse()) {
    if (name < migration) continue
    await undo(db)
    await sql`delete from kysely_migration where name = ${name}`.execute(db)
  }
  for (const [name, [table, column]] of Object.entries(ADDED)) {
    if (name < migration) continue
    await sql`alter table ${sql.table(table)} drop column ${sql.ref(column)}`.execute(db)
    await sql`delete from kysely_migration where name = ${name}`.execute(db)
  }
}

describe('migration 0017: machines whose host ports wrapped before the flag existed', () => {
  it('flags the machines where a live pod holds a port at or past the counter, and no other', async () => {
    t = await createTestApp({
      machines: [
        machine({ id: 'wrapped', gpu_count: 8, next_port: 30000 }),
        machine({ id: 'behind', gpu_count: 8, next_port: 30000 }),
        machine({ id: 'ended', gpu_count: 8, next_port: 30000 }),
      ],
    })
    const key = await t.key('alice')
    const on = async (machineId: string) => {
      // Only the named machine is up for the create.
      await t.db.updateTable('machines').set({ cordoned: 1 }).where('id', '!=', machineId).execute()
      await t.db.updateTable('machines').set({ cordoned: 0 }).where('id', '=', machineId).execute()
      await t.store.fleet.reload(['wrapped', 'behind', 'ended'])
      const res = await t.request('POST', '/v1/pods', { key, body: { imageName: 'x', ports: ['22/tcp'] } })
      expect(res.body.machineId).toBe(machineId)
      return res.body.id as string
    }
    await on('wrapped')
    await on('behind')
    const ended = await on('ended')
    expect((await t.request('DELETE', `/v1/pods/${ended}`, { key })).status).toBe(204)
    // Each pod holds port 30000. The counters of "wrapped" and "ended" went round since; the flag
    // had not existed yet.
    const db = t.db as unknown as Kysely<unknown>
    await undoFrom(db, '0017-host-port-wraps')
    await t.db
      .updateTable('machines')
      .set({ next_port: HOST_PORT_FIRST + 5 })
      .where('id', 'in', ['wrapped', 'ended'])
      .execute()

    await migrateToLatest(db)
    const flags = await t.db
      .selectFrom('machines')
      .select(['id', 'host_ports_wrapped'])
      .orderBy('id')
      .execute()
    expect(flags).toEqual([
      { id: 'behind', host_ports_wrapped: 0 },
      { id: 'ended', host_ports_wrapped: 0 },
      { id: 'wrapped', host_ports_wrapped: 1 },
    ])
  })
})

describe('migration 0018: the storage tier kept with network volume usage', () => {
  it('takes each volume’s tier; a volume deleted before, whose tier nobody kept, counts as standard', async () => {
    t = await createTestApp()
    const key = await t.key('alice')
    const create = async (type: string) => {
      const body = { name: type.toLowerCase(), size: 10, dataCenter: 'US-TX-3', type }
      const res = await t.request('POST', '/v2/network-volumes', { key, body })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      return res.body.id as string
    }
    const fast = await create('HIGH_PERFORMANCE')
    const standard = await create('STANDARD')
    const gone = await create('HIGH_PERFORMANCE')
    expect((await t.request('DELETE', `/v2/network-volumes/${gone}`, { key })).status).toBe(204)
    expect((await t.request('POST', '/v1/pods', { key, body: { imageName: 'x' } })).status).toBe(201)

    const db = t.db as unknown as Kysely<unknown>
    await undoFrom(db, '0018-volume-tiers')
    await migrateToLatest(db)
    const tiers = await t.db
      .selectFrom('usage_intervals')
      .select(['kind', 'network_volume_id', 'volume_type'])
      .orderBy('kind')
      .orderBy('network_volume_id')
      .execute()
    expect(tiers).toEqual(
      expect.arrayContaining([
        { kind: 'network_volume', network_volume_id: fast, volume_type: 'HIGH_PERFORMANCE' },
        { kind: 'network_volume', network_volume_id: standard, volume_type: 'STANDARD' },
        { kind: 'network_volume', network_volume_id: gone, volume_type: 'STANDARD' },
      ]),
    )
    expect(tiers.filter((r) => r.kind !== 'network_volume').map((r) => r.volume_type)).toEqual([null])
  })
})

describe('opening a store', () => {
  it('refuses a store that a newer version migrated, up to date as it otherwise is', async () => {
    t = await createTestApp()
    const db = t.db as unknown as Kysely<unknown>
    const row = { name: '9999-from-a-newer-version', timestamp: new Date().toISOString() }
    await sql`insert into kysely_migration (name, timestamp) values (${row.name}, ${row.timestamp})`.execute(
      db,
    )
    await expect(openDatabase(t.location)).rejects.toThrow(/9999-from-a-newer-version is missing/)
  })
})
