import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // Every pod write updates every pod index: drop the two that others already cover.
  await db.schema.dropIndex('pods_machine').execute() // pods_machine_status starts with machine_id
  await db.schema.dropIndex('pods_network_volume').execute() // lookups are per user: pods_user_network_volume
}
