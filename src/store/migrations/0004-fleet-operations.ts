import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // Operators can take a machine down (fault injection, or a real host gone) and re-price it.
  await db.schema.alterTable('machines').addColumn('failed_at', 'bigint').execute()
  await db.schema.alterTable('machines').addColumn('failure_note', 'text').execute()
  await db.schema.alterTable('machines').addColumn('price_per_gpu', 'double precision').execute()
  await db.schema.createIndex('pods_machine_status').on('pods').columns(['machine_id', 'status']).execute()
  await db.schema.createIndex('machines_maintenance').on('machines').column('maintenance_start').execute()
}
