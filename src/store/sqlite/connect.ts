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

/** Tables an API key's owner is read from (`ApiKeyRepository.ownerOf`). */
const OWNER_TABLES = /\b(api_keys|users)\b/
const ROLLBACK = /^\s*rollback\b/i

interface Prepared {
  readonly statement: SqliteDatabase.Statement
  readonly writes: boolean
  /** Writes API keys or users: owners kept by key may be out of date. */
  readonly writesOwners: boolean
}

/**
 * Kysely prepares every statement it runs; preparing costs more than running a small query, so
 * this keeps prepared statements by their SQL text and reuses them.
 */
function withStatementCache(
  sqlite: SqliteDatabase.Database,
  journal: PodJournal,
  generation: WriteGeneration,
) {
  const statements = new Map<string, Prepared>()
  const checkpoints = new IdleCheckpoints(sqlite)
  return {
    prepare(sql: string) {
      journal.beforeStatement(sql)
      let prepared = statements.get(sql)
      if (!prepared) {
        if (statements.size >= STATEMENT_CACHE_SIZE) statements.delete(statements.keys().next().value!)
        const statement = sqlite.prepare(sql)
        // BEGIN, COMMIT and ROLLBACK count as writes (they return no rows), and so does an
        // UPDATE … RETURNING (it returns rows, and is not read-only).
        const writes = !statement.reader || !statement.readonly
        prepared = {
          statement,
          writes,
          // A rollback may undo a write to keys or users that owners were read after.
          writesOwners: writes && (OWNER_TABLES.test(sql) || ROLLBACK.test(sql)),
        }
        statements.set(sql, prepared)
      }
      // Only writes grow the WAL or change data; reads (GET /v1/pods) leave both alone.
      if (prepared.writes) {
        checkpoints.written()
        generation.written(prepared.writesOwners)
      }
      return prepared.statement
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
