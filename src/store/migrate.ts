import {
  type DatabaseIntrospector,
  type Kysely,
  DEFAULT_MIGRATION_TABLE as MIGRATION_TABLE,
  type Migration,
  type MigrationResultSet,
  Migrator,
  PostgresAdapter,
  sql,
  type TableMetadata,
} from 'kysely'
import * as init from './migrations/0001-init.js'
import * as usage from './migrations/0002-usage.js'
import * as leases from './migrations/0003-leases.js'
import * as fleetOperations from './migrations/0004-fleet-operations.js'
import * as machineRemoval from './migrations/0005-machine-removal.js'
import * as podHeads from './migrations/0006-pod-heads.js'
import * as resourceVersions from './migrations/0007-resource-versions.js'
import * as fewerPodIndexes from './migrations/0008-fewer-pod-indexes.js'
import * as podChangeNumbers from './migrations/0009-pod-change-numbers.js'
import * as interruptiblePods from './migrations/0010-interruptible-pods.js'
import * as v2Account from './migrations/0011-v2-account.js'
import * as v2Resources from './migrations/0012-v2-resources.js'
import * as v2Serverless from './migrations/0013-v2-serverless.js'
import * as clusters from './migrations/0014-clusters.js'
import * as agents from './migrations/0015-agents.js'
import * as podJournal from './migrations/0016-pod-journal.js'
import * as hostPortWraps from './migrations/0017-host-port-wraps.js'
import * as volumeTiers from './migrations/0018-volume-tiers.js'
import * as machineChanges from './migrations/0019-machine-changes.js'

/** The migration history, in order. Both dialects run the same list. */
const MIGRATIONS: Record<string, Migration> = {
  '0001-init': init,
  '0002-usage': usage,
  '0003-leases': leases,
  '0004-fleet-operations': fleetOperations,
  '0005-machine-removal': machineRemoval,
  '0006-pod-heads': podHeads,
  '0007-resource-versions': resourceVersions,
  '0008-fewer-pod-indexes': fewerPodIndexes,
  '0009-pod-change-numbers': podChangeNumbers,
  '0010-interruptible-pods': interruptiblePods,
  '0011-v2-account': v2Account,
  '0012-v2-resources': v2Resources,
  '0013-v2-serverless': v2Serverless,
  '0014-clusters': clusters,
  '0015-agents': agents,
  '0016-pod-journal': podJournal,
  '0017-host-port-wraps': hostPortWraps,
  '0018-volume-tiers': volumeTiers,
  '0019-machine-changes': machineChanges,
}

/**
 * On PostgreSQL the bookkeeping tables live in the connection's own schema, named explicitly:
 * Kysely otherwise looks for them in every schema of the database, so a second podplane schema
 * in the same database (another deployment, a test run) would make it skip creating its own.
 */
export async function migrator(db: Kysely<unknown>): Promise<Migrator> {
  const migrationTableSchema =
    db.getExecutor().adapter instanceof PostgresAdapter
      ? (await sql<{ schema: string | null }>`select current_schema() as schema`.execute(db)).rows[0]?.schema
      : undefined
  if (!migrationTableSchema) {
    return new Migrator({ db, provider: { getMigrations: async () => MIGRATIONS } })
  }
  return new Migrator({
    db: seeingOnly(db, migrationTableSchema),
    migrationTableSchema,
    provider: { getMigrations: async () => MIGRATIONS },
  })
}

/**
 * `db` as the migrator gets it on PostgreSQL: its introspection sees this schema alone. Kysely's
 * own lists every table of every schema, calling functions on each by name, and fails with
 * "schema … does not exist" when another schema is dropped meanwhile (another deployment's, a
 * test run's): the migrator only asks whether its two tables exist here.
 */
function seeingOnly(db: Kysely<unknown>, schema: string): Kysely<unknown> {
  const getTables = async (): Promise<TableMetadata[]> => {
    const { rows } = await sql<{ name: string; kind: string }>`
      select c.relname as name, c.relkind as kind
      from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
      where n.nspname = ${schema} and c.relkind in ('r', 'p', 'v', 'm')`.execute(db)
    return rows.map((r) => ({ name: r.name, schema, isView: r.kind === 'v' || r.kind === 'm', columns: [] }))
  }
  const introspection: DatabaseIntrospector = {
    getSchemas: async () => [{ name: schema }],
    getTables,
    getMetadata: async () => ({ tables: await getTables() }),
  }
  return new Proxy(db, {
    get(target, property) {
      if (property === 'introspection') return introspection
      const value: unknown = Reflect.get(target, property, target)
      // Kysely's methods read private fields: they run on the instance itself, not the proxy.
      return typeof value === 'function' ? value.bind(target) : value
    },
  })
}

/**
 * Applies every pending migration; throws with the failing migration's error. A store already up
 * to date (every start but the first after an upgrade) costs one read of the migration table;
 * the migrator itself first introspects the schema (~10 queries, ~60 ms of a start-up on
 * PostgreSQL).
 */
export async function migrateToLatest(db: Kysely<unknown>): Promise<MigrationResultSet> {
  const done = await executedMigrations(db)
  const known = Object.keys(MIGRATIONS)
  // Up to date: every migration has run and none that this version does not know (the migrator
  // refuses a store that a newer version migrated; it is left to say so).
  if (done && done.size === known.length && known.every((name) => done.has(name))) return { results: [] }
  const result = await (await migrator(db)).migrateToLatest()
  if (result.error) throw result.error
  return result
}

/** Names of the migrations this store has not run, in order. */
export async function pendingMigrations(db: Kysely<unknown>): Promise<string[]> {
  const done = (await executedMigrations(db)) ?? new Set()
  return Object.keys(MIGRATIONS).filter((name) => !done.has(name))
}

/**
 * The migrations this store has run, read from the migrator's table (on PostgreSQL the one in the
 * connection's own schema, as `migrator` keeps it); undefined where there is no such table yet.
 */
async function executedMigrations(db: Kysely<unknown>): Promise<Set<string> | undefined> {
  let table = sql.table(MIGRATION_TABLE)
  if (db.getExecutor().adapter instanceof PostgresAdapter) {
    const inOwnSchema = sql<string>`quote_ident(current_schema()) || '.' || ${MIGRATION_TABLE}`
    const lookup = sql<{ found: string | null }>`select to_regclass(${inOwnSchema})::text as found`
    const name = (await lookup.execute(db)).rows[0]?.found
    if (!name) return undefined
    // As PostgreSQL prints it: schema-qualified where the search path alone would not find it.
    table = sql.raw(name)
  } else {
    const { rows } =
      await sql`select 1 from sqlite_master where type = 'table' and name = ${MIGRATION_TABLE}`.execute(db)
    if (rows.length === 0) return undefined
  }
  const { rows } = await sql<{ name: string }>`select name from ${table}`.execute(db)
  return new Set(rows.map((r) => r.name))
}
