import { Kysely, type LogConfig, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from '../schema.js'
import { lazyTransactions } from './lazy-transactions.js'

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
  /**
   * Set as every connection's `podplane.writer`: the machines' change notifications name it, so
   * this process can tell its own changes from others' (src/store/postgres/machine-changes.ts).
   */
  readonly writer?: string
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
  pool.on('connect', (client) => {
    client.on('error', onError)
    // Queued before the query the connection was opened for; a failure shows in that query.
    if (options.writer)
      client.query(`select set_config('podplane.writer', $1, false)`, [options.writer]).catch(() => undefined)
    prepareHotStatements(client)
  })
  return new Kysely<Database>({ dialect: lazyTransactions(new PostgresDialect({ pool })), log })
}

/** A statement is prepared once it has run this often; at most this many are (per process). */
const HOT_AFTER = 3
const MAX_PREPARED = 500
/** Texts counted towards `HOT_AFTER` at once. */
const MAX_COUNTED = 10 * MAX_PREPARED
const seen = new Map<string, number>()
const names = new Map<string, string>()
const unpreparable = new Set<string>()
let prepared = 0

/**
 * Runs hot statements as named prepared statements: each connection parses and plans one once,
 * and PostgreSQL reuses the plan (a list request's two index lookups cost less than planning
 * them). Only statements with parameters, seen a few times, and a bounded number of them: SQL
 * that varies (long IN lists) stays unnamed, so no connection accumulates statements without end.
 */
function prepareHotStatements(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown
  client.query = ((text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text === 'string' && Array.isArray(values) && values.length > 0 && callback === undefined) {
      const name = statementName(text)
      if (name) {
        return (query({ name, text, values }) as Promise<unknown>).catch((error: { code?: string }) => {
          // "cached plan must not change result type": a newer replica's migration changed the
          // columns a prepared `select *` returns. Run it unprepared from now on.
          if (error?.code !== '0A000') throw error
          names.delete(text)
          unpreparable.add(text)
          return query(text, values)
        })
      }
    }
    return query(text, values, callback)
  }) as typeof client.query
}

function statementName(text: string): string | undefined {
  const name = names.get(text)
  if (name || names.size >= MAX_PREPARED || unpreparable.has(text)) return name
  const count = (seen.get(text) ?? 0) + 1
  if (count < HOT_AFTER) {
    // Most texts seen once or twice are one-offs (long IN lists). Full, the count starts over:
    // were it to stop counting instead, no statement first seen later could ever become hot.
    if (seen.size >= MAX_COUNTED) seen.clear()
    seen.set(text, count)
    return undefined
  }
  seen.delete(text)
  const named = `podplane_${prepared++}`
  names.set(text, named)
  return named
}
