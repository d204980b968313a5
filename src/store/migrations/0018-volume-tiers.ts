import { type Kysely, sql } from 'kysely'

/**
 * A network volume's spend is billed by storage tier (v1 `highPerformanceStorageAmount`, v2
 * `standardAmount` / `highPerformanceAmount`), and a deleted volume's row is gone: each interval
 * now keeps the tier of the volume it bills. Existing intervals take their volume's tier; those of
 * volumes deleted before this migration, whose tier nothing recorded, count as standard (as
 * billing counted them until now).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable('usage_intervals').addColumn('volume_type', 'text').execute()
  await sql`update usage_intervals set volume_type = coalesce(
      (select type from network_volumes where network_volumes.id = usage_intervals.network_volume_id),
      'STANDARD')
    where kind = 'network_volume'`.execute(db)
}
