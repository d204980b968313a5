import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // Bumped on every change, so renderings that embed volumes and templates know when to redo.
  await db.schema
    .alterTable('network_volumes')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema
    .alterTable('templates')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
}
