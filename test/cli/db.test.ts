import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { afterAll, describe, expect, it } from 'vitest'
import { exitOf, runCli, startServerProcess } from '../helpers/cli.js'
import { scratchPostgres } from '../helpers/databases.js'

describe('podplane db', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podplane-db-'))
  const env = { PODPLANE_DB: join(dir, 'podplane.db') }
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('status shows pending migrations, migrate applies them, status shows them applied', () => {
    const before = runCli(['db', 'status'], env)
    expect(before.code).toBe(0)
    expect(before.stdout).toMatch(/0001-init\s+pending/)
    expect(runCli(['db', 'migrate'], env).stdout).toBe('schema is up to date\n')
    const after = runCli(['db', 'status'], env)
    expect(after.stdout).not.toContain('pending')
    expect(after.stdout).toMatch(/0003-leases\s+\d{4}-\d\d-\d\dT/)
  })

  it('backs up the SQLite store while a server is using it, to a file that opens with the same data', async () => {
    expect(runCli(['fleet', 'seed', '--machines', '20'], env).code).toBe(0)
    const server = await startServerProcess({ ...env, PODPLANE_SECRET: 's' })
    const key = runCli(['keys', 'create', '--user', 'alice'], env).stdout.trim()
    const pod = await fetch(`${server.url}/v1/pods`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ imageName: 'x', cloudType: 'ALL' }),
    })
    expect(pod.status).toBe(201)
    const target = join(dir, 'backup.db')
    const res = runCli(['db', 'backup', target], env)
    server.child.kill('SIGTERM')
    await exitOf(server.child)
    expect(res.code, res.stderr).toBe(0)
    expect(res.stdout).toContain('backed up')
    const copy = new SqliteDatabase(target, { readonly: true })
    expect(copy.prepare('select count(*) as n from machines').get()).toEqual({ n: 20 })
    expect(copy.prepare('select user_id from api_keys').all()).toEqual([{ user_id: 'alice' }])
    expect(copy.prepare('select count(*) as n from pods').get()).toEqual({ n: 1 })
    copy.close()
    expect(runCli(['db', 'backup', target], env)).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('exists'),
    })
  })

  it('migrates and reports on PostgreSQL too', async () => {
    const scratch = await scratchPostgres()
    try {
      const pgEnv = { PODPLANE_DB: scratch.location }
      expect(runCli(['db', 'migrate'], pgEnv).stdout).toBe('schema is up to date\n')
      expect(runCli(['db', 'status'], pgEnv).stdout).not.toContain('pending')
      expect(runCli(['db', 'backup', join(dir, 'pg.db')], pgEnv)).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('pg_dump'),
      })
    } finally {
      await scratch.drop()
    }
  })
})
