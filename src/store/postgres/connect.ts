import { Kysely, type LogConfig, PostgresDialect } from 'kysely'
import pg from 'pg'
import type { Database } from '../schema.js'

// Epoch-millisecond columns are bigint; they fit a JS number exactly, so read them as numbers.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value))

export function connectPostgres(url: string, log?: LogConfig): Kysely<Database> {
  const pool = new pg.Pool({ connectionString: url })
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log })
}
