import { CompiledQuery, type Kysely } from 'kysely'
import type { NewPodRows } from '../pods.js'
import type { Database } from '../schema.js'

/**
 * PostgreSQL: pods with their allocations and usage intervals in one statement (data-modifying
 * CTEs). Each table's rows go as one JSON array, spread into rows of the table's own type by
 * `json_populate_recordset`: one statement text whatever the batch's size (prepared once per
 * connection, where a multi-row VALUES needs one per size) and three parameters instead of one per
 * column per row (a batch of eight pods had ~450, each serialized and bound on its own).
 */
export async function insertNewPods(db: Kysely<Database>, rows: readonly NewPodRows[]): Promise<void> {
  const { ctes, params } = newPodsCtes(rows, 1)
  await db.executeQuery(CompiledQuery.raw(`with ${ctes}\nselect 1`, params))
}

/**
 * The CTEs `new_pods`, `new_allocations` and `new_usage` that insert `rows`, their three JSON
 * parameters numbered from `first`: for a statement of its own or one that also claims machines.
 */
export function newPodsCtes(rows: readonly NewPodRows[], first: number): { ctes: string; params: string[] } {
  const pods = rows.map((r) => r.pod)
  const allocations = rows.map((r) => r.allocation)
  const usage = rows.map((r) => r.usage)
  return {
    ctes: ctesFor(pods, allocations, usage, first),
    params: [JSON.stringify(pods), JSON.stringify(allocations), JSON.stringify(usage)],
  }
}

/**
 * A pod's next change number on PostgreSQL, as SQL. The transaction takes its xid first, so that
 * from the moment it holds a number it shows as in progress in every snapshot (see
 * `PodRepository.listSignature`, which relies on it).
 */
export const NEXT_POD_CHANGE = `(select nextval('pods_change_seq') where pg_current_xact_id() is not null)`

type Row = Readonly<Record<string, unknown>>

/** CTE texts by the columns they insert (rows are built by fixed functions: one or two texts). */
const texts = new Map<string, string>()

function ctesFor(
  pods: readonly Row[],
  allocations: readonly Row[],
  usage: readonly Row[],
  first: number,
): string {
  const columns = [pods, allocations, usage].map(columnsOf)
  const key = `${first};${columns.map((c) => c.join(',')).join(';')}`
  let text = texts.get(key)
  if (!text) {
    const [podColumns, allocationColumns, usageColumns] = columns as [string[], string[], string[]]
    text = `new_pods as (${insert('pods', podColumns, first)}),
  new_allocations as (${insert('allocations', allocationColumns, first + 1)}),
  new_usage as (${insert('usage_intervals', usageColumns, first + 2)})`
    texts.set(key, text)
  }
  return text
}

/**
 * The columns the rows give a value (as Kysely's insert would: a key left undefined takes the
 * column's default). A pod's change number is the store's sequence, stamped here.
 */
function columnsOf(rows: readonly Row[]): string[] {
  const columns = new Set<string>()
  // for…in, not Object.entries: an array per key of every row was ~3% of a create's CPU.
  for (const row of rows) for (const column in row) if (row[column] !== undefined) columns.add(column)
  columns.delete('change_seq')
  return [...columns]
}

function insert(
  table: 'pods' | 'allocations' | 'usage_intervals',
  columns: readonly string[],
  param: number,
) {
  const list = columns.map((c) => `"${c}"`).join(', ')
  const [into, values] =
    table === 'pods' ? [`${list}, change_seq`, `${list}, ${NEXT_POD_CHANGE}`] : [list, list]
  return `insert into ${table} (${into}) select ${values} from json_populate_recordset(null::${table}, $${param}::json)`
}
