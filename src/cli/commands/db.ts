import { existsSync } from 'node:fs'
import { resolve } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { Command } from 'commander'
import type { Kysely } from 'kysely'
import { isPostgresUrl, loadConfig } from '../../config.js'
import { migrator } from '../../store/migrate.js'
import { withStore } from '../store.js'
import { formatTable } from '../table.js'

export function dbCommand(): Command {
  const db = new Command('db').description('the store: migrations and backups (PODPLANE_DB)')

  db.command('migrate')
    .description('apply pending migrations (also done at start-up; safe with several replicas)')
    .action(async () => {
      // Opening the store migrates it, under PostgreSQL's advisory lock.
      const pending = await withStore((store) => store.pendingMigrations())
      process.stdout.write(
        pending.length === 0 ? 'schema is up to date\n' : `pending: ${pending.join(', ')}\n`,
      )
    })

  db.command('status')
    .description('list migrations and when each was applied')
    .action(async () => {
      const config = loadConfig()
      const { connectPostgres } = await import('../../store/postgres/connect.js')
      const { connectSqlite } = await import('../../store/sqlite/connect.js')
      // Read without migrating, so the status shows what is really there.
      const kysely = (
        isPostgresUrl(config.db) ? connectPostgres(config.db) : connectSqlite(config.db).db
      ) as Kysely<unknown>
      try {
        const migrations = await (await migrator(kysely)).getMigrations()
        process.stdout.write(
          formatTable(
            migrations.map((m) => ({
              migration: m.name,
              applied: m.executedAt ? m.executedAt.toISOString() : 'pending',
            })),
          ),
        )
      } finally {
        await kysely.destroy()
      }
    })

  db.command('backup <file>')
    .description('copy a consistent snapshot of the SQLite store while it serves (online backup)')
    .addHelpText(
      'after',
      '\nRestore: stop podplane, replace the store file with the backup (and remove its -wal and -shm\nfiles), start again. For PostgreSQL use pg_dump and pg_restore.',
    )
    .action(async (file: string) => {
      const config = loadConfig()
      if (isPostgresUrl(config.db)) throw new Error('db backup covers SQLite; for PostgreSQL use pg_dump')
      if (!existsSync(config.db)) throw new Error(`no store at ${config.db}`)
      const target = resolve(file)
      if (existsSync(target)) throw new Error(`${target} exists; choose a new file`)
      const source = new SqliteDatabase(config.db, { readonly: true, fileMustExist: true })
      try {
        const { totalPages } = await source.backup(target)
        process.stdout.write(`backed up ${config.db} to ${target} (${totalPages} pages)\n`)
      } finally {
        source.close()
      }
    })

  return db
}
