import { type Kysely, sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { HOST_PORT_FIRST } from '../../src/store/host-ports.js'
import { migrateToLatest } from '../../src/store/migrate.js'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { machine } from '../helpers/machines.js'

describe('migration 0017: machines whose host ports wrapped before the flag existed', () => {
  let t: TestApp
  afterEach(() => t?.close())

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
    await sql`alter table machines drop column host_ports_wrapped`.execute(db)
    await sql`delete from kysely_migration where name = '0017-host-port-wraps'`.execute(db)
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
