import type { ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { FastifyRequest } from 'fastify'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hasConsole, wantsConsole } from '../../src/api/console/index.js'
import { exitOf, runCli, startServerProcess } from '../helpers/cli.js'

const request = (method: string, url: string, accept = 'text/html,*/*') =>
  ({ method, url, headers: { accept } }) as unknown as FastifyRequest

describe('console fallback rules', () => {
  it('serves index.html for client routes only: GET/HEAD, outside the APIs, asking for HTML', () => {
    expect(wantsConsole(request('GET', '/pods/abc?x=1'))).toBe(true)
    expect(wantsConsole(request('HEAD', '/fleet'))).toBe(true)
    expect(wantsConsole(request('POST', '/pods'))).toBe(false)
    expect(wantsConsole(request('GET', '/pods', 'application/json'))).toBe(false)
    for (const path of ['/v1/nothing', '/v2/x', '/admin/v1/users', '/healthz', '/readyz', '/v1'])
      expect(wantsConsole(request('GET', path)), path).toBe(false)
    expect(wantsConsole(request('GET', '/assets/missing.js'))).toBe(false)
    expect(wantsConsole(request('GET', '/v1x'))).toBe(true)
  })

  it('knows when no console was built, so the server starts without one', () => {
    expect(hasConsole(undefined)).toBe(false)
    expect(hasConsole(join(tmpdir(), 'no-console-here'))).toBe(false)
  })
})

// `npm test` builds the console before it runs the suite.
describe('the server with a built console', () => {
  let dir: string
  let url: string
  let child: ChildProcess
  let key: string

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podplane-serve-'))
    const env = { PODPLANE_DB: join(dir, 'podplane.db'), PODPLANE_SEED_MACHINES: '2' }
    ;({ url, child } = await startServerProcess(env))
    key = runCli(['keys', 'create', '--user', 'alice'], env).stdout.trim()
  })

  afterAll(async () => {
    child?.kill('SIGTERM')
    if (child) await exitOf(child)
    rmSync(dir, { recursive: true, force: true })
  })

  const get = (path: string, headers: Record<string, string> = {}) => fetch(`${url}${path}`, { headers })

  it('serves the console at / and its client routes, with hashed assets cached', async () => {
    const root = await get('/', { accept: 'text/html' })
    expect(root.status).toBe(200)
    expect(root.headers.get('content-type')).toMatch(/text\/html/)
    expect(root.headers.get('cache-control')).toBe('no-cache')
    const html = await root.text()
    expect(html).toContain('<div id="root">')
    const deep = await get('/pods/abc123?name=x', { accept: 'text/html' })
    expect(deep.status).toBe(200)
    expect(await deep.text()).toBe(html)
    const asset = /src="(\/assets\/[^"]+\.js)"/.exec(html)![1]!
    const js = await get(asset)
    expect(js.status).toBe(200)
    expect(js.headers.get('cache-control')).toMatch(/immutable/)
  })

  it('leaves the APIs and their JSON 404s alone', async () => {
    const v1 = await get('/v1/nothing-here', { accept: 'text/html', authorization: `Bearer ${key}` })
    expect(v1.status).toBe(404)
    expect(await v1.json()).toMatchObject({ status: 404 })
    expect((await get('/v2/nothing', { accept: 'text/html' })).status).toBe(401)
    const admin = await get('/admin/v1/nothing', { accept: 'text/html' })
    expect(admin.status).toBe(404)
    expect(admin.headers.get('content-type')).toMatch(/json/)
    expect(await (await get('/healthz', { accept: 'text/html' })).json()).toEqual({ status: 'ok' })
    const missing = await get('/assets/missing.js', { accept: 'text/html' })
    expect(missing.status).toBe(404)
    expect(missing.headers.get('content-type')).toMatch(/json/)
    const apiClient = await get('/somewhere', { accept: 'application/json' })
    expect(apiClient.status).toBe(404)
  })
})
