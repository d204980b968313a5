import { randomBytes } from 'node:crypto'
import type { Kysely, LogConfig, LogEvent } from 'kysely'
import { isPostgresUrl } from '../config.js'
import { migrateToLatest } from './migrate.js'
import type { PoolOptions } from './postgres/connect.js'
import type { MachineChangeFeed } from './postgres/machine-changes.js'
import type { Database } from './schema.js'
import { connectSqlite } from './sqlite/connect.js'
import type { PodJournal } from './sqlite/pod-journal.js'
import type { WriteGeneration } from './sqlite/write-generation.js'

export type Dialect = 'sqlite' | 'postgres'

export interface DatabaseHandle {
  readonly db: Kysely<Database>
  readonly dialect: Dialect
  /** SQLite: where new pods are committed before they are written into the pod tables. */
  readonly journal?: PodJournal
  /** SQLite: moves whenever data may have changed (see `Store.dataGeneration`). */
  readonly generation?: WriteGeneration
  /** PostgreSQL: other processes' machine changes, once followed (see `Store.followMachineChanges`). */
  readonly machineChanges?: MachineChangeFeed
}

export interface OpenOptions {
  /** Called with the SQL of every statement run (query counting, tracing). */
  readonly onQuery?: (sql: string) => void
  /** PostgreSQL pool settings. */
  readonly pool?: PoolOptions
}

/**
 * Connects to `PODPLANE_DB` (a file path or a postgres:// URL) and brings the schema up to date.
 * On PostgreSQL the migrator holds an advisory lock, so replicas starting together migrate once.
 */
export async function openDatabase(location: string, options: OpenOptions = {}): Promise<DatabaseHandle> {
  const dialect: Dialect = isPostgresUrl(location) ? 'postgres' : 'sqlite'
  const log = options.onQuery && ((event: LogEvent) => options.onQuery!(event.query.sql))
  const { db, journal, generation, machineChanges } =
    dialect === 'postgres'
      ? await connectPostgresStore(location, log, options.pool)
      : { ...connectSqlite(location, log), machineChanges: undefined }
  try {
    await migrateToLatest(db as Kysely<unknown>)
    journal?.activate()
  } catch (error) {
    await db.destroy()
    throw error
  }
  return { db, dialect, journal, generation, machineChanges }
}

/** The PostgreSQL driver is loaded only for PostgreSQL (it is a noticeable part of start-up). */
async function connectPostgresStore(
  location: string,
  log: LogConfig | undefined,
  pool: PoolOptions | undefined,
) {
  const [{ connectPostgres }, { MachineChangeFeed }] = await Promise.all([
    import('./postgres/connect.js'),
    import('./postgres/machine-changes.js'),
  ])
  // Names this process's writes in the notifications they cause, so it can skip its own.
  const writer = randomBytes(8).toString('hex')
  return {
    db: connectPostgres(location, log, { ...pool, writer }),
    journal: undefined,
    generation: undefined,
    machineChanges: new MachineChangeFeed(location, writer),
  }
}
