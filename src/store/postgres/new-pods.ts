import { type InsertObject, type Kysely, sql } from 'kysely'
import type { BatchEnd } from '../batcher.js'
import type { NewPodRows } from '../pods.js'
import type { Database } from '../schema.js'

/** New pods of one batch on PostgreSQL, inserted together when the batch's writes have run. */
export class NewPods implements BatchEnd {
  readonly #rows: NewPodRows[] = []

  add(rows: NewPodRows): void {
    this.#rows.push(rows)
  }

  async finish(trx: Kysely<Database>): Promise<void> {
    const rows = this.#rows.splice(0)
    if (rows.length > 0) await insertNewPods(trx, rows)
  }
}

const NEXT_CHANGE_PG = sql<number>`nextval('pods_change_seq')`

/** PostgreSQL: pods with their allocations and usage intervals in one statement (data-modifying CTEs). */
export async function insertNewPods(db: Kysely<Database>, rows: readonly NewPodRows[]): Promise<void> {
  const pods = rows.map((r) => {
    // Set, not spread in: a spread object given a new key takes V8's slow path.
    r.pod.change_seq = NEXT_CHANGE_PG
    return r.pod as InsertObject<Database, 'pods'>
  })
  await db
    .with('new_pods', (db) => db.insertInto('pods').values(pods).returning('id'))
    .with('new_allocations', (db) =>
      db
        .insertInto('allocations')
        .values(rows.map((r) => r.allocation as InsertObject<Database, 'allocations'>))
        .returning('pod_id'),
    )
    .insertInto('usage_intervals')
    .values(rows.map((r) => r.usage as InsertObject<Database, 'usage_intervals'>))
    .execute()
}
