import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { exitOf, runCli, startServerProcess } from '../helpers/cli.js'

describe('podplane serve and keys, as a user runs them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podplane-cli-'))
  const env = {
    PODPLANE_DB: join(dir, 'nested', 'podplane.db'),
    PODPLANE_SIM_BOOT_MS: '0',
    PODPLANE_SEED_MACHINES: '40',
  }
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('starts on an empty store, seeds a fleet, serves pods to a CLI-made key, and stops on SIGTERM', async () => {
    const { url, child } = await startServerProcess(env)
    try {
      expect(await (await fetch(`${url}/healthz`)).json()).toEqual({ status: 'ok' })

      const created = runCli(['keys', 'create', '--user', 'alice', '--name', 'laptop'], env)
      expect(created.code).toBe(0)
      expect(created.stdout).toMatch(/^rpa_[A-Z2-7]{40}\n$/)
      const key = created.stdout.trim()

      const res = await fetch(`${url}/v1/pods`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ imageName: 'runpod/base:0.6.2' }),
      })
      expect(res.status).toBe(201)
      expect(res.headers.get('x-request-id')).toBeTruthy()
      const pods = await (
        await fetch(`${url}/v1/pods`, { headers: { authorization: `Bearer ${key}` } })
      ).json()
      expect(pods).toHaveLength(1)

      const listed = runCli(['keys', 'list', '--user', 'alice'], env)
      expect(listed.stdout).toContain('laptop')
      expect(listed.stdout).not.toContain(key)
      const keyId = listed.stdout.split('\n')[1]!.split(/\s+/)[0]!
      expect(runCli(['keys', 'revoke', keyId], env).code).toBe(0)
      expect((await fetch(`${url}/v1/pods`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(
        401,
      )
    } finally {
      child.kill('SIGTERM')
    }
    expect(await exitOf(child)).toBe(0)
  })

  it('seeds deterministic fleets: same seed, same machines; re-running adds nothing', () => {
    const a = { PODPLANE_DB: join(dir, 'a.db') }
    const b = { PODPLANE_DB: join(dir, 'b.db') }
    expect(runCli(['fleet', 'seed', '--machines', '25', '--seed', '7'], a).stdout).toBe(
      'added 25 machines (seed 7)\n',
    )
    expect(runCli(['fleet', 'seed', '--machines', '25', '--seed', '7'], a).stdout).toBe(
      'added 0 machines (seed 7)\n',
    )
    expect(runCli(['fleet', 'seed', '--machines', '25', '--seed', '7'], b).code).toBe(0)
  })

  it('exits 2 on usage errors and 1 on failures, with a message on stderr', () => {
    expect(runCli(['keys', 'create'], env)).toMatchObject({ code: 2 })
    expect(runCli(['fleet', 'seed', '--machines', 'many'], env)).toMatchObject({ code: 2 })
    const failed = runCli(['keys', 'revoke', 'no-such-key'], env)
    expect(failed).toMatchObject({ code: 1, stderr: 'podplane: no live key with id no-such-key\n' })
    expect(runCli(['keys', 'create', '--user', 'bad user!'], env).code).toBe(1)
  })
})
