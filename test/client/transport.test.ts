import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { retryAfterMs } from '../../src/client/http.js'
import {
  PodplaneClient,
  PodplaneError,
  PodplaneNetworkError,
  PodplaneTimeoutError,
} from '../../src/client/index.js'
import { rejection } from './server.js'

interface Seen {
  readonly method: string
  readonly url: string
  readonly headers: IncomingMessage['headers']
  readonly body: string
}

type Handler = (req: IncomingMessage, res: ServerResponse, n: number) => void

/** A tiny HTTP server whose answers each test scripts; it records every request it gets. */
describe('the client’s HTTP: retries, timeouts, aborts, errors', () => {
  let server: Server
  let base: string
  let handler: Handler
  const seen: Seen[] = []

  beforeEach(async () => {
    seen.length = 0
    handler = (_req, res) => json(res, 200, { ok: true })
    server = createServer((req, res) => {
      let body = ''
      req.on('data', (c) => {
        body += c
      })
      req.on('end', () => {
        seen.push({ method: req.method!, url: req.url!, headers: req.headers, body })
        handler(req, res, seen.length)
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterEach(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, {
      'content-type': 'application/json',
      'x-request-id': `req-${seen.length}`,
      ...headers,
    })
    res.end(JSON.stringify(body))
  }
  const client = (options: ConstructorParameters<typeof PodplaneClient>[0] = {}) =>
    new PodplaneClient({ baseUrl: base, apiKey: 'rpa_test', retryBaseDelayMs: 5, ...options })

  it('retries a 429 after Retry-After and succeeds on the third call', async () => {
    handler = (_req, res, n) =>
      n < 3
        ? json(
            res,
            429,
            { title: 'Too Many Requests', status: 429, detail: 'slow down' },
            { 'retry-after': '0' },
          )
        : json(res, 200, { id: 'p1' })
    const attempts: number[] = []
    const pod = await client({ onResponse: (i) => attempts.push(i.attempt) }).v2.pods.get('p1')
    expect(pod).toEqual({ id: 'p1' })
    expect(seen).toHaveLength(3)
    expect(attempts).toEqual([0, 1, 2])
  })

  it('retries 429 and 503 on POST too (the server did not act), honouring an HTTP-date Retry-After', async () => {
    handler = (_req, res, n) =>
      n === 1
        ? json(
            res,
            503,
            { error: 'the store is unavailable just now; retry the request', status: 503 },
            {
              'retry-after': new Date(Date.now() - 1000).toUTCString(),
            },
          )
        : json(res, 201, { id: 'new' })
    expect(await client().v1.pods.create({ imageName: 'x' })).toEqual({ id: 'new' })
    expect(seen.map((s) => s.method)).toEqual(['POST', 'POST'])
    expect(JSON.parse(seen[1]!.body)).toEqual({ imageName: 'x' })
  })

  it('never retries another 4xx, and types its error', async () => {
    handler = (_req, res) => json(res, 400, { error: 'body gpuCount must be integer', status: 400 })
    const error = await rejection(client().v1.pods.list())
    expect(seen).toHaveLength(1)
    expect(error).toBeInstanceOf(PodplaneError)
    expect(error).toMatchObject({
      status: 400,
      message: 'body gpuCount must be integer',
      requestId: 'req-1',
      body: { error: 'body gpuCount must be integer', status: 400 },
      method: 'GET',
      url: `${base}/v1/pods`,
    })
  })

  it('gives up after `retries`, and at once when Retry-After is longer than it would wait', async () => {
    handler = (_req, res) => json(res, 503, { error: 'down', status: 503 }, { 'retry-after': '0' })
    expect(await rejection(client({ retries: 2 }).v1.pods.list())).toMatchObject({
      status: 503,
      retryAfter: 0,
    })
    expect(seen).toHaveLength(3)

    seen.length = 0
    handler = (_req, res) => json(res, 429, { status: 429, detail: 'quota' }, { 'retry-after': '3600' })
    const error = await rejection(client().v2.pods.page())
    expect(error).toMatchObject({ status: 429, message: 'quota', retryAfter: 3600 })
    expect(seen).toHaveLength(1)

    seen.length = 0
    expect(await rejection(client().v2.pods.page({}, { retries: 0 }))).toMatchObject({ status: 429 })
    expect(seen).toHaveLength(1)
  })

  it('backs off exponentially when no Retry-After is sent', async () => {
    handler = (_req, res, n) => (n < 3 ? json(res, 503, { error: 'down', status: 503 }) : json(res, 200, []))
    const started = Date.now()
    await client({ retryBaseDelayMs: 40 }).v1.pods.list()
    // 40·[0.5, 1] + 80·[0.5, 1] ≥ 60 ms.
    expect(Date.now() - started).toBeGreaterThanOrEqual(55)
    expect(seen).toHaveLength(3)
  })

  it('retries network errors on idempotent methods only', async () => {
    handler = (req, res, n) => (n < 2 ? req.socket.destroy() : json(res, 200, []))
    expect(await client().v1.pods.list()).toEqual([])
    expect(seen).toHaveLength(2)

    seen.length = 0
    handler = (req) => req.socket.destroy()
    const error = await rejection(client().v1.pods.create({ imageName: 'x' }))
    expect(error).toBeInstanceOf(PodplaneNetworkError)
    expect(seen).toHaveLength(1)

    const refused = await rejection(
      new PodplaneClient({ baseUrl: 'http://127.0.0.1:1', retries: 0 }).v2.pods.get('x'),
    )
    expect(refused).toBeInstanceOf(PodplaneNetworkError)
    expect((refused as Error).cause).toBeDefined()
  })

  it('fails with a timeout error when no answer comes in time, without retrying', async () => {
    handler = (_req, res) => setTimeout(() => json(res, 200, []), 300)
    const error = await rejection(client({ timeoutMs: 50 }).v1.pods.list())
    expect(error).toBeInstanceOf(PodplaneTimeoutError)
    expect(error).toMatchObject({ timeoutMs: 50, method: 'GET' })
    expect(seen).toHaveLength(1)
    // A per-call timeout overrides the client's.
    expect(await client({ timeoutMs: 50 }).v1.pods.list({}, { timeoutMs: 2000 })).toEqual([])
    expect(await client({ timeoutMs: 0 }).v1.pods.list()).toEqual([])
  })

  it('aborts a call in flight, before it starts, and while it waits to retry', async () => {
    handler = (_req, res) => setTimeout(() => json(res, 200, []), 300)
    const controller = new AbortController()
    setTimeout(() => controller.abort(), 30)
    const error = await rejection(client().v1.pods.list({}, { signal: controller.signal }))
    expect(error).toMatchObject({ name: 'AbortError' })

    seen.length = 0
    const reason = new Error('not now')
    const early = await rejection(client().v1.pods.list({}, { signal: AbortSignal.abort(reason) }))
    expect(early).toBe(reason)
    expect(seen).toHaveLength(0)

    handler = (_req, res) => json(res, 429, { status: 429, detail: 'later' }, { 'retry-after': '30' })
    const waiting = new AbortController()
    setTimeout(() => waiting.abort(new Error('stop waiting')), 50)
    const started = Date.now()
    expect(await rejection(client().v2.pods.page({}, { signal: waiting.signal }))).toMatchObject({
      message: 'stop waiting',
    })
    expect(Date.now() - started).toBeLessThan(1000)
    expect(seen).toHaveLength(1)
  })

  it('sends the key, JSON headers and caller headers; keeps a text error body', async () => {
    handler = (_req, res) => {
      res.writeHead(502, { 'content-type': 'text/html' })
      res.end('<h1>Bad Gateway</h1>')
    }
    const error = await rejection(
      client().v2.pods.update('p 1', { name: 'n' }, { headers: { 'x-request-id': 'mine' } }),
    )
    expect(error).toMatchObject({
      status: 502,
      message: '<h1>Bad Gateway</h1>',
      body: '<h1>Bad Gateway</h1>',
    })
    expect(seen).toHaveLength(1)
    expect(seen[0]).toMatchObject({ method: 'PATCH', url: '/v2/pods/p%201', body: '{"name":"n"}' })
    expect(seen[0]!.headers).toMatchObject({
      authorization: 'Bearer rpa_test',
      'content-type': 'application/json',
      accept: 'application/json',
      'x-request-id': 'mine',
    })
  })

  it('writes v1 list parameters as repeated keys and v2 ones comma-separated', async () => {
    handler = (_req, res) =>
      json(res, 200, { gpus: [], pods: [], pagination: { nextCursor: null, hasNextPage: false } })
    const c = client()
    await c.v1.pods.list({ gpuTypeId: ['A', 'B C'], includeMachine: true, name: undefined })
    await c.v2.catalog.gpus({ include: ['AVAILABILITY'], product: ['POD', 'SERVERLESS'], count: 2 })
    await c.v2.pods.page({ limit: 10, includeClusterPods: false })
    expect(seen.map((s) => s.url)).toEqual([
      '/v1/pods?gpuTypeId=A&gpuTypeId=B+C&includeMachine=true',
      '/v2/catalog/gpus?include=AVAILABILITY&product=POD%2CSERVERLESS&count=2',
      '/v2/pods?limit=10&includeClusterPods=false',
    ])
  })
})

describe('client options', () => {
  afterEach(() => vi.unstubAllEnvs())

  it('reads its server and key from the environment', async () => {
    vi.stubEnv('PODPLANE_API_URL', 'http://pods.internal:9000/')
    vi.stubEnv('PODPLANE_API_KEY', '')
    vi.stubEnv('RUNPOD_API_KEY', 'rpa_fallback')
    const calls: [string, RequestInit | undefined][] = []
    const fetch = async (url: string | URL | Request, init?: RequestInit) => {
      calls.push([String(url), init])
      return new Response('[]', { headers: { 'content-type': 'application/json' } })
    }
    const c = new PodplaneClient({ fetch })
    expect([c.v1Url, c.v2Url]).toEqual(['http://pods.internal:9000/v1', 'http://pods.internal:9000/v2'])
    await c.v1.pods.list()
    expect(calls[0]![0]).toBe('http://pods.internal:9000/v1/pods')
    expect((calls[0]![1]!.headers as Record<string, string>).authorization).toBe('Bearer rpa_fallback')

    vi.stubEnv('PODPLANE_API_KEY', 'rpa_podplane')
    await new PodplaneClient({ fetch, v2Url: 'http://elsewhere/v2' }).v2.pods.get('x')
    expect(calls[1]![0]).toBe('http://elsewhere/v2/pods/x')
    expect((calls[1]![1]!.headers as Record<string, string>).authorization).toBe('Bearer rpa_podplane')

    vi.stubEnv('PODPLANE_API_URL', '')
    expect(new PodplaneClient().v1Url).toBe('http://127.0.0.1:8080/v1')
  })

  it('targets RunPod itself with PodplaneClient.runpod()', async () => {
    vi.stubEnv('RUNPOD_API_KEY', 'rpa_runpod')
    vi.stubEnv('PODPLANE_API_KEY', 'rpa_podplane')
    const urls: string[] = []
    const fetch = async (url: string | URL | Request, init?: RequestInit) => {
      urls.push(`${String(url)} ${(init!.headers as Record<string, string>).authorization}`)
      return new Response('{"pods":[],"pagination":{"nextCursor":null,"hasNextPage":false}}', {
        headers: { 'content-type': 'application/json' },
      })
    }
    const runpod = PodplaneClient.runpod({ fetch })
    await runpod.v1.pods.list()
    await runpod.v2.pods.list().toArray()
    expect(urls).toEqual([
      'https://rest.runpod.io/v1/pods Bearer rpa_runpod',
      'https://api.runpod.io/v2/pods Bearer rpa_runpod',
    ])
  })

  it('reads Retry-After as seconds or an HTTP date', () => {
    const now = Date.parse('2026-11-28T12:00:00Z')
    expect(retryAfterMs('2', now)).toBe(2000)
    expect(retryAfterMs('Sat, 28 Nov 2026 12:00:05 GMT', now)).toBe(5000)
    expect(retryAfterMs('Sat, 28 Nov 2026 11:00:00 GMT', now)).toBe(0)
    expect(retryAfterMs('soon', now)).toBeUndefined()
    expect(retryAfterMs(null, now)).toBeUndefined()
  })
})
