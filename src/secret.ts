import { randomBytes } from 'node:crypto'
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { isPostgresUrl } from './config.js'

/**
 * The key that seals secrets at rest: `PODPLANE_SECRET`, or for SQLite a random key generated once
 * and kept beside the database file (mode 0600). PostgreSQL deployments share one store across
 * replicas, so there the key must come from the environment.
 */
export function loadSecret(db: string, env: NodeJS.ProcessEnv = process.env): string {
  const fromEnv = env.PODPLANE_SECRET
  if (fromEnv) return fromEnv
  if (isPostgresUrl(db)) {
    throw new Error(
      'PODPLANE_SECRET must be set when PODPLANE_DB is PostgreSQL: every replica needs the same key',
    )
  }
  const file = join(dirname(db), 'secret.key')
  if (!existsSync(file)) {
    mkdirSync(dirname(file), { recursive: true })
    try {
      writeFileSync(file, `${randomBytes(32).toString('hex')}\n`, { mode: 0o600, flag: 'wx' })
      chmodSync(file, 0o600)
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
    }
  }
  return readFileSync(file, 'utf8').trim()
}
