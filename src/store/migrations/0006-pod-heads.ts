import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // Covers the unfiltered pod list: which pods a user has, in order, and what their rendering
  // depends on, read from the index alone.
  await db.schema
    .createIndex('pods_user_heads')
    .on('pods')
    .columns([
      'user_id',
      'created_at',
      'id',
      'version',
      'status',
      'ready_at',
      'cost_per_hr',
      'gpu_count',
      'endpoint_id',
      'machine_id',
      'network_volume_id',
      'template_id',
    ])
    .execute()
  await db.schema.dropIndex('pods_user_created').execute()
}
