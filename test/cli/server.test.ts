import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterAll, describe, expect, it } from 'vitest'
import { exitOf, runCli, startServerProcess } from '../helpers/cli.js'

/** What `npm start` runs: the server bundled by esbuild (`npm run build` makes it). */
const BUNDLE = fileURLToPath(new URL('../../dist/podplane.mjs', import.meta.url))

/** Starts the bundle's `serve` on a port the OS picks and resolves with its URL once it listens. */
function startBundle(env: Record<string, string>): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, [BUNDLE, 'serve'], {
    env: { ...process.env, HOST: '127.0.0.1', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  return new Promise((resolve, reject) => {
    let output = ''
    const onData = (chunk: Buffer) => {
      output += chunk.toString()
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(output)
      if (match) resolve({ url: match[1]!, child })
    }
    child.stdout!.on('data', onData)
    child.stderr!.on('data', onData)
    child.once('exit', (code) => reject(new Error(`the bundle exited with ${code}: ${output}`)))
  })
}

/** Asks /readyz until it says ready (listening comes before the first request can be served). */
async function readyz(url: string): Promise<{ status: number; body: unknown }> {
  for (;;) {
    const res = await fetch(`${url}/readyz`)
    if (res.status === 200) return { status: res.status, body: await res.json() }
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
}

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

  it('serves from the esbuild bundle npm start runs: readiness, pods, the docs UI and its assets, SIGINT', async () => {
    const bundled = { ...env, PODPLANE_DB: join(dir, 'bundle.db') }
    const { url, child } = await startBundle(bundled)
    try {
      expect(await readyz(url)).toEqual({ status: 200, body: { status: 'ready' } })
      const key = runCli(['keys', 'create', '--user', 'alice'], bundled).stdout.trim()
      const auth = { authorization: `Bearer ${key}` }
      const pods = await fetch(`${url}/v1/pods`, { headers: auth })
      expect(pods.status).toBe(200)
      expect(await pods.json()).toEqual([])
      expect((await fetch(`${url}/v1/pods`)).status).toBe(401)

      // The docs UI's files live in @fastify/swagger-ui, outside the bundle.
      const docs = await fetch(`${url}/v1/docs`)
      expect(docs.status).toBe(200)
      const page = await docs.text()
      expect(page).toContain('swagger-ui')
      const scripts = [...page.matchAll(/src="([^"]+\.js)"/g)].map((m) => m[1]!)
      expect(scripts.length).toBeGreaterThan(0)
      for (const script of scripts) {
        const asset = await fetch(new URL(script, docs.url))
        expect(asset.status, script).toBe(200)
        expect((await asset.text()).length, script).toBeGreaterThan(1000)
      }
      const spec = await fetch(`${url}/v1/openapi.json`)
      expect(((await spec.json()) as { paths: object }).paths).toHaveProperty('/pods')
    } finally {
      child.kill('SIGINT')
    }
    expect(await exitOf(child)).toBe(0)
  })
})
