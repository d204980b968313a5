import { sql } from 'kysely'
import pg from 'pg'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DatabaseHandle, openDatabase } from '../../src/store/database.js'
import { type ScratchDatabase, scratchPostgres } from '../helpers/databases.js'

describe('hot statements on PostgreSQL', () => {
  let scratch: ScratchDatabase
  let handle: DatabaseHandle
  beforeAll(async () => {
    scratch = await scratchPostgres()
    handle = await openDatabase(scratch.location)
  })
  afterAll(async () => {
    await handle.db.destroy()
    await scratch.drop()
  })

  it('runs a statement seen a few times as a named prepared statement, with the same answers', async () => {
    // One transaction: one connection, whose prepared statements pg_prepared_statements lists.
    const { answers, prepared } = await handle.db.transaction().execute(async (trx) => {
      const answers: number[] = []
      for (let i = 0; i < 5; i++) {
        const row = await trx
          .selectFrom('users')
          .select((eb) => eb.fn.countAll<string>().as('n'))
          .where('id', '=', `hot-statement-${i}`)
          .executeTakeFirstOrThrow()
        answers.push(Number(row.n))
      }
      const prepared = await sql<{ statement: string }>`
        select statement from pg_prepared_statements where name like 'podplane_%'`.execute(trx)
      return { answers, prepared: prepared.rows.map((r) => r.statement) }
    })
    expect(answers).toEqual([0, 0, 0, 0, 0])
    expect(prepared).toContainEqual(expect.stringContaining('from "users" where "id" = $1'))
  })

  it('still prepares a statement first seen after thousands of one-off statements', async () => {
    const prepared = await handle.db.transaction().execute(async (trx) => {
      // More distinct texts than are counted at once (5,000), each run once.
      for (let i = 0; i < 5_100; i++)
        await sql`select ${i}::int + ${sql.raw(String(i))} as one_off`.execute(trx)
      for (let i = 0; i < 4; i++) await sql`select ${i}::int as seen_late`.execute(trx)
      return (
        await sql<{ name: string }>`
          select name from pg_prepared_statements where statement like '%seen_late%'
            and statement not like '%pg_prepared_statements%'`.execute(trx)
      ).rows
    })
    expect(prepared).toHaveLength(1)
  })

  it('leaves statements without parameters unnamed', async () => {
    const prepared = await handle.db.transaction().execute(async (trx) => {
      for (let i = 0; i < 5; i++) await sql`select 1 as cold_statement`.execute(trx)
      return (
        await sql<{ statement: string }>`
          select statement from pg_prepared_statements where statement like '%cold_statement%'
            and statement not like '%pg_prepared_statements%'`.execute(trx)
      ).rows
    })
    expect(prepared).toEqual([])
  })

  it('keeps answering a prepared select * after a migration elsewhere adds a column', async () => {
    const single = await openDatabase(scratch.location, { pool: { size: 1 } })
    try {
      const read = () => single.db.selectFrom('users').selectAll().where('id', '=', 'nobody').execute()
      for (let i = 0; i < 4; i++) expect(await read()).toEqual([])
      const other = new pg.Client({ connectionString: scratch.location })
      await other.connect()
      try {
        await other.query('alter table users add column added_by_a_newer_replica integer')
      } finally {
        await other.end()
      }
      expect(await read()).toEqual([])
    } finally {
      await single.db.destroy()
    }
  })
})
