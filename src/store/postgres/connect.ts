import { Kysely, type LogConfig, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from '../schema.js'

// Epoch-millisecond columns are bigint; they fit a JS number exactly, so read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))

export interface PoolOptions {
  /** Connections this process keeps at most. */
  readonly size?: number
  /** The server cancels statements running longer than this. */
  readonly statementTimeoutMs?: number
  /** Shown in pg_stat_activity; "podplane" by default. */
  readonly applicationName?: string
  /** Receives errors of lost connections (a restarting server), which must not crash the process. */
  readonly onIdleError?: (error: Error) => void
}

/**
 * A pooled connection to PostgreSQL. Broken connections are dropped by the pool and replaced on
 * the next checkout, so the process recovers by itself after the server restarts. A schema can
 * be chosen in the URL: `?options=-c%20search_path%3Dmyschema`.
 */
export function connectPostgres(url: string, log?: LogConfig, options: PoolOptions = {}): Kysely<Database> {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.size ?? 10,
    statement_timeout: options.statementTimeoutMs ?? 10_000,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'podplane',
  })
  const onError = (error: Error) => options.onIdleError?.(error)
  pool.on('error', onError)
  // A connection can also die while checked out between two queries; its next query fails (and
  // the pool drops it on release), but the 'error' event itself must not go unhandled.
  pool.on('connect', (client) => client.on('error', onError))
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log })
}
