import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { Kysely, type LogConfig, SqliteDialect } from 'kysely'
import type { Database } from '../schema.js'
import { IdleCheckpoints } from './idle-checkpoints.js'
import { PodJournal } from './pod-journal.js'
import { WriteGeneration } from './write-generation.js'

/** Distinct statements kept prepared; queries with long IN lists vary, so the cache is bounded. */
const STATEMENT_CACHE_SIZE = 1000

/**
 * Kysely prepares every statement it runs; preparing costs more than running a small query, so
 * this keeps prepared statements by their SQL text and reuses them.
 */
function withStatementCache(
  sqlite: SqliteDatabase.Database,
  journal: PodJournal,
  generation: WriteGeneration,
) {
  const statements = new Map<string, SqliteDatabase.Statement>()
  const checkpoints = new IdleCheckpoints(sqlite)
  return {
    prepare(sql: string) {
      journal.beforeStatement(sql)
      let statement = statements.get(sql)
      if (!statement) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!)
        statement = sqlite.prepare(sql)
        statements.set(sql, statement)
      }
      // Only writes grow the WAL or change data; reads (GET /v1/pods) leave both alone.
      if (!statement.reader) {
        checkpoints.written()
        generation.written()
      }
      return statement
    },
    close() {
      checkpoints.close()
      journal.close()
      statements.clear()
      sqlite.close()
    },
  }
}

/**
 * Opens (creating if needed) the SQLite file in WAL mode, ready for several readers and one writer.
 * The journal of new pods starts guarding reads once migrations have run (`journal.activate()`).
 */
export function connectSqlite(
  path: string,
  log?: LogConfig,
): { db: Kysely<Database>; journal: PodJournal; generation: WriteGeneration } {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const sqlite = new SqliteDatabase(path)
  sqlite.pragma('journal_mode = WAL')
  sqlite.pragma('synchronous = NORMAL')
  sqlite.pragma('busy_timeout = 5000')
  sqlite.pragma('foreign_keys = ON')
  const generation = new WriteGeneration(sqlite)
  const journal = new PodJournal(sqlite, generation)
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(sqlite, journal, generation) as never }),
    log,
  })
  return { db, journal, generation }
}
