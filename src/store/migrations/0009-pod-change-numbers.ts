import { type Kysely, PostgresAdapter, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // Every pod write stamps the pod with a new, store-wide increasing change number, so "has any of
  // this user's pods changed?" is one index lookup: the user's highest change number.
  await db.schema
    .alterTable('pods')
    .addColumn('change_seq', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute()
  await db.schema.createIndex('pods_user_change').on('pods').columns(['user_id', 'change_seq']).execute()
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    // Concurrent writers need distinct numbers: a sequence hands them out without locking.
    await sql`create sequence pods_change_seq`.execute(db)
  } else {
    // SQLite runs one writer at a time; the next number is the current highest plus one.
    await db.schema.createIndex('pods_change').on('pods').column('change_seq').execute()
  }
}
