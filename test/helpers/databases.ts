import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import pg from 'pg'

/** The dialect the API suite runs on: `PODPLANE_TEST_DB=postgres` (a vitest project) or SQLite. */
export const TEST_DIALECT: 'sqlite' | 'postgres' =
  process.env.PODPLANE_TEST_DB === 'postgres' ? 'postgres' : 'sqlite'

/** The PostgreSQL every test run shares (CI and this machine: trust auth, database `test`). */
export const TEST_PG_URL = process.env.PODPLANE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432/test'

export interface ScratchDatabase {
  /** What PODPLANE_DB would say. */
  readonly location: string
  drop(): Promise<void>
}

/** A private PostgreSQL schema, selected through the URL, so runs and test files never collide. */
export async function scratchPostgres(): Promise<ScratchDatabase> {
  const schema = `pp_${randomBytes(6).toString('hex')}`
  const admin = new pg.Client({ connectionString: TEST_PG_URL })
  await admin.connect()
  await admin.query(`CREATE SCHEMA ${schema}`)
  await admin.end()
  const url = new URL(TEST_PG_URL)
  url.searchParams.set('options', `-c search_path=${schema}`)
  return {
    location: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: TEST_PG_URL })
      await client.connect()
      await client.query(`DROP SCHEMA ${schema} CASCADE`)
      await client.end()
    },
  }
}

export function scratchSqlite(): ScratchDatabase {
  const dir = mkdtempSync(join(tmpdir(), 'podplane-test-'))
  return {
    location: join(dir, 'test.db'),
    async drop() {
      rmSync(dir, { recursive: true, force: true })
    },
  }
}

export function scratchDatabase(dialect = TEST_DIALECT): Promise<ScratchDatabase> | ScratchDatabase {
  return dialect === 'postgres' ? scratchPostgres() : scratchSqlite()
}
