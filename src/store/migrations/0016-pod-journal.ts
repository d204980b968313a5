import { type Kysely, SqliteAdapter } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // SQLite only: new pods are committed as one journal row each and written into the pod tables in
  // batches (src/store/sqlite/pod-journal.ts). PostgreSQL writes them directly.
  if (!(db.getExecutor().adapter instanceof SqliteAdapter)) return
  await db.schema
    .createTable('pod_journal')
    .addColumn('seq', 'integer', (c) => c.primaryKey())
    .addColumn('entry', 'text', (c) => c.notNull())
    .execute()
}
