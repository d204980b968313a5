import { type Kysely, sql } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // Preemption looks for the interruptible pods that hold compute: few, so a partial index.
  await db.schema
    .createIndex('pods_interruptible')
    .on('pods')
    .columns(['machine_id', 'status'])
    .where(sql.ref('interruptible'), '=', 1)
    .execute()
}
