import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // Removed machines stay as rows: terminated pods and usage history still point at them.
  await db.schema.alterTable('machines').addColumn('removed_at', 'bigint').execute()
}
