import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // Usage is a list of intervals at a fixed rate: a pod running, a pod stopped (its volume still
  // billed), a network volume at one size. Billing reads these; nothing else is metered.
  await db.schema
    .createTable('usage_intervals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('pod_id', 'text')
    .addColumn('endpoint_id', 'text')
    .addColumn('network_volume_id', 'text')
    .addColumn('gpu_type_id', 'text')
    .addColumn('data_center_id', 'text')
    .addColumn('gpu_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('compute_per_hr', 'double precision', (c) => c.notNull())
    .addColumn('disk_gb', 'integer', (c) => c.notNull())
    .addColumn('disk_per_hr', 'double precision', (c) => c.notNull())
    .addColumn('started_at', 'bigint', (c) => c.notNull())
    .addColumn('ended_at', 'bigint')
    .execute()
  await db.schema
    .createIndex('usage_user_time')
    .on('usage_intervals')
    .columns(['user_id', 'started_at'])
    .execute()
  await db.schema
    .createIndex('usage_pod_open')
    .on('usage_intervals')
    .columns(['pod_id', 'ended_at'])
    .execute()
  await db.schema
    .createIndex('usage_volume_open')
    .on('usage_intervals')
    .columns(['network_volume_id', 'ended_at'])
    .execute()

  await db.schema
    .createIndex('templates_user_name')
    .on('templates')
    .columns(['user_id', 'name'])
    .unique()
    .execute()
  await db.schema.createIndex('endpoints_template').on('endpoints').column('template_id').execute()
  await db.schema
    .createIndex('pods_network_volume')
    .on('pods')
    .columns(['network_volume_id', 'status'])
    .execute()
}
