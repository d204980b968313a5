import { sql } from 'kysely'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type DatabaseHandle, openDatabase } from '../../src/store/database.js'
import { runAloneIfUnbegun } from '../../src/store/postgres/lazy-transactions.js'
import { type ScratchDatabase, scratchPostgres } from '../helpers/databases.js'

/** PostgreSQL transactions begin at their first statement (src/store/postgres/lazy-transactions.ts). */
describe('transactions on PostgreSQL', () => {
  let scratch: ScratchDatabase
  let handle: DatabaseHandle
  let statements: string[] = []
  beforeEach(async () => {
    scratch = await scratchPostgres()
    handle = await openDatabase(scratch.location, { onQuery: (text) => statements.push(text.toLowerCase()) })
    await sql`create table notes (id text primary key)`.execute(handle.db)
    statements = []
  })
  afterEach(async () => {
    await handle.db.destroy()
    await scratch.drop()
  })

  const notes = async () =>
    (await sql<{ id: string }>`select id from notes order by id`.execute(handle.db)).rows.map((r) => r.id)
  const note = (id: string) => sql`insert into notes (id) values (${id})`

  it('sends neither BEGIN nor COMMIT for a transaction that runs nothing', async () => {
    await handle.db.transaction().execute(async () => undefined)
    const trx = await handle.db.startTransaction().execute()
    await trx.commit().execute()
    expect(statements).toEqual([])
  })

  it('begins just before the first statement, and a rollback undoes what it wrote', async () => {
    await expect(
      handle.db.transaction().execute(async (trx) => {
        await note('a').execute(trx)
        await note('b').execute(trx)
        throw new Error('changed its mind')
      }),
    ).rejects.toThrow('changed its mind')
    expect(statements.map((s) => s.split(' ')[0])).toEqual(['begin', 'insert', 'insert', 'rollback'])
    expect(await notes()).toEqual([])

    await handle.db.transaction().execute(async (trx) => {
      await note('a').execute(trx)
    })
    expect(await notes()).toEqual(['a'])
  })

  it('keeps a transaction whole: another session sees nothing of it before COMMIT', async () => {
    const trx = await handle.db.startTransaction().execute()
    await note('a').execute(trx)
    expect(await notes()).toEqual([])
    await trx.commit().execute()
    expect(await notes()).toEqual(['a'])
  })

  it('opens with the isolation level asked for', async () => {
    await handle.db
      .transaction()
      .setIsolationLevel('serializable')
      .execute(async (trx) => {
        const { rows } = await sql<{ transaction_isolation: string }>`show transaction_isolation`.execute(trx)
        expect(rows[0]!.transaction_isolation).toBe('serializable')
      })
    expect(statements[0]).toBe('start transaction isolation level serializable')
  })

  it('runs the statements of a transaction given up before it began on their own, each committed', async () => {
    const trx = await handle.db.startTransaction().execute()
    expect(await runAloneIfUnbegun(trx)).toBe(true)
    await note('a').execute(trx)
    // Visible at once to another session: no transaction holds it.
    expect(await notes()).toEqual(['a'])
    await trx.rollback().execute()
    expect(await notes()).toEqual(['a'])
    expect(statements.filter((s) => ['begin', 'commit', 'rollback'].includes(s))).toEqual([])
  })

  it('leaves a transaction that has begun as it is', async () => {
    const trx = await handle.db.startTransaction().execute()
    await note('a').execute(trx)
    expect(await runAloneIfUnbegun(trx)).toBe(false)
    await trx.rollback().execute()
    expect(await notes()).toEqual([])
  })
})
