import { connect } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { machine } from '../helpers/machines.js'

describe('bad input', () => {
  let t: TestApp
  let key: string
  let podId: string
  beforeAll(async () => {
    t = await createTestApp({ machines: [machine()] })
    key = await t.key('alice')
    podId = (await t.request('POST', '/v1/pods', { key, body: { imageName: 'x' } })).body.id
  })
  afterAll(() => t.close())

  const tables = async () => ({
    pods: await t.db.selectFrom('pods').selectAll().execute(),
    machines: await t.db.selectFrom('machines').selectAll().execute(),
    allocations: await t.db.selectFrom('allocations').selectAll().execute(),
  })

  const routesWithBodies = () => [
    ['POST', '/v1/pods'],
    ['PATCH', `/v1/pods/${podId}`],
    ['POST', `/v1/pods/${podId}/update`],
  ]

  /** Sends `raw` as the body to each route: every one answers 400 with `message` in its error. */
  const expectRefused = async (routes: string[][], raw: string, message: string) => {
    for (const [method, url] of routes) {
      const res = await t.request(method!, url!, { key, rawBody: raw })
      expect(res.status, `${method} ${url}`).toBe(400)
      expect(res.body.error).toContain(message)
    }
  }

  it.each([
    ['{"imageName": "x",', 'malformed JSON body'],
    ['{imageName: x}', 'malformed JSON body'],
    ['[1, 2]', 'body must be object'],
    ['"a string"', 'body must be object'],
    ['null', 'body must be object'],
  ])('answers %s with 400 on every route that takes a body, and writes nothing', async (raw, message) => {
    const before = await tables()
    await expectRefused(routesWithBodies(), raw, message)
    expect(await tables()).toEqual(before)
  })

  it('answers a non-JSON content type with 415', async () => {
    const res = await t.request('POST', '/v1/pods', {
      key,
      rawBody: 'imageName=x',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    })
    expect(res.status).toBe(415)
  })

  it('answers a missing body on create with 400', async () => {
    const res = await t.request('POST', '/v1/pods', { key })
    expect(res.status).toBe(400)
    expect(res.body.error).toBe('body must be object')
  })

  it('answers an oversized body with 413', async () => {
    const res = await t.request('POST', '/v1/pods', {
      key,
      body: { imageName: 'x', env: { BIG: 'x'.repeat(2_000_000) } },
    })
    expect(res.status).toBe(413)
  })

  // JSON escapes as a client sends them: `\\u0000` in this file is `\u0000` on the wire.
  it.each([
    ['{"imageName": "x", "name": "a\\u0000b"}', 'name contains a NUL character'],
    ['{"imageName": "x", "env": {"A": "x\\u0000"}}', 'env.A contains a NUL character'],
    ['{"imageName": "x", "env": {"A\\u0000": "x"}}', 'a key in env contains a NUL character'],
    ['{"imageName": "x", "ports": ["22/tcp", "\\u0000"]}', 'ports[1] contains a NUL character'],
    ['{"imageName": "x", "name": "a\\ud800b"}', 'name contains an unpaired UTF-16 surrogate'],
    ['{"imageName": "x", "name": "\\udfff"}', 'name contains an unpaired UTF-16 surrogate'],
  ])(
    'answers %s with 400 naming the field on every route that takes a body, and writes nothing',
    async (raw, message) => {
      const before = await tables()
      await expectRefused(
        [...routesWithBodies(), ['POST', '/v1/templates'], ['POST', '/v1/networkvolumes']],
        raw,
        message,
      )
      const v2 = await t.request('POST', '/v2/pods', { key, rawBody: raw })
      expect(v2.status).toBe(400)
      expect(v2.body.detail).toContain(message)
      expect(await tables()).toEqual(before)
    },
  )

  it('keeps text that only looks like a NUL, and escaped surrogate pairs, as sent', async () => {
    const res = await t.request('POST', '/v1/pods', {
      key,
      rawBody: '{"imageName": "x", "name": "\\\\u0000 \\ud83d\\ude00", "env": {"K": "\\\\u0000"}}',
    })
    expect(res.status).toBe(201)
    const pod = (await t.request('GET', `/v1/pods/${res.body.id}`, { key })).body
    expect(pod.name).toBe('\\u0000 \u{1F600}')
    expect(pod.env).toEqual({ K: '\\u0000' })
    await t.request('DELETE', `/v1/pods/${res.body.id}`, { key })
  })

  it.each([
    [`/v1/pods/ab%00c`, 'the path contains a NUL character'],
    ['/v1/pods?name=a%00b', 'the query string contains a NUL character'],
    ['/v1/pods?imageName=%00', 'the query string contains a NUL character'],
    ['/v1/templates/x%00', 'the path contains a NUL character'],
    ['/v1/networkvolumes/x%00', 'the path contains a NUL character'],
    ['/v1/billing/pods?podId=%00', 'the query string contains a NUL character'],
  ])('answers GET %s with 400', async (url, message) => {
    const res = await t.request('GET', url, { key })
    expect(res.status).toBe(400)
    expect(res.body.error).toContain(message)
  })

  it('answers a NUL in the URL of an action or a v2 route with 400, and changes nothing', async () => {
    const before = await tables()
    for (const [method, url] of [
      ['POST', `/v1/pods/${podId}%00/stop`],
      ['DELETE', `/v1/pods/${podId}%00`],
    ]) {
      const res = await t.request(method!, url!, { key })
      expect(res.status, `${method} ${url}`).toBe(400)
      expect(res.body.error).toContain('the path contains a NUL character')
    }
    const v2 = await t.request('GET', '/v2/pods/x%00', { key })
    expect(v2.status).toBe(400)
    expect(v2.body.detail).toContain('the path contains a NUL character')
    expect(await tables()).toEqual(before)
  })

  it('answers a URL the router refuses in the shape of the API it names, without echoing it', async () => {
    const long = 'x'.repeat(101)
    for (const [url, status, message] of [
      ['/v1/pods/%zz', 400, 'malformed URL: a path segment is not valid percent-encoding'],
      [`/v1/pods/${long}`, 414, 'a path segment is longer than 100 characters'],
    ] as const) {
      const v1 = await t.request('GET', url, { key })
      expect(v1.status, url).toBe(status)
      expect(v1.body).toEqual({ error: message, status })
      // Refused by the router, before authentication (and so before any rate limit is counted).
      const v2 = await t.request('GET', url.replace('/v1/', '/v2/'))
      expect(v2.status, url).toBe(status)
      expect(v2.body).toMatchObject({ status, detail: message })
    }
  })

  /** Sends raw bytes to a listening server; resolves with everything it answers before closing. */
  const sendRaw = (port: number, bytes: string) =>
    new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.end(bytes))
      let answer = ''
      socket.on('data', (chunk) => {
        answer += chunk.toString()
      })
      socket.on('close', () => resolve(answer))
      socket.on('error', reject)
    })
  const parse = (answer: string) => {
    const [head, body] = answer.split('\r\n\r\n') as [string, string]
    return { statusLine: head.split('\r\n')[0], head: head.toLowerCase(), body: JSON.parse(body) }
  }

  it("answers requests Node's HTTP parser refuses in the shape of the API they name", async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 })
    const { port } = t.app.server.address() as { port: number }
    const huge = `x-padding: ${'a'.repeat(20_000)}\r\n`
    const v1 = parse(await sendRaw(port, `GET /v1/pods HTTP/1.1\r\nhost: x\r\n${huge}\r\n`))
    expect(v1.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large')
    expect(v1.head).toContain('content-type: application/json')
    expect(v1.body).toEqual({
      error: expect.stringMatching(/^the request headers are too large/),
      status: 431,
    })
    const v2 = parse(await sendRaw(port, `GET /v2/pods HTTP/1.1\r\nhost: x\r\n${huge}\r\n`))
    expect(v2.statusLine).toBe('HTTP/1.1 431 Request Header Fields Too Large')
    expect(v2.head).toContain('content-type: application/problem+json')
    expect(v2.body).toMatchObject({ title: 'Request Header Fields Too Large', status: 431 })
    const garbled = parse(await sendRaw(port, 'GET /v1/pods HTTP/1.1\r\nhost x\r\n\r\n'))
    expect(garbled.statusLine).toBe('HTTP/1.1 400 Bad Request')
    expect(garbled.body).toEqual({ error: 'malformed HTTP request', status: 400 })
    // The server keeps serving.
    expect((await t.request('GET', `/v1/pods/${podId}`, { key })).status).toBe(200)
  })

  it('refuses only the write with a NUL when writes arrive together', async () => {
    const names = ['ok-1', 'bad\u0000', 'ok-2']
    const answers = await Promise.all(
      names.map((name) => t.request('POST', '/v1/pods', { key, body: { imageName: 'x', name } })),
    )
    expect(answers.map((a) => a.status)).toEqual([201, 400, 201])
    for (const a of [answers[0]!, answers[2]!]) await t.request('DELETE', `/v1/pods/${a.body.id}`, { key })
  })

  it('keeps serving after a storm of bad requests', async () => {
    await Promise.all(Array.from({ length: 50 }, () => t.request('POST', '/v1/pods', { key, rawBody: '{' })))
    expect((await t.request('GET', `/v1/pods/${podId}`, { key })).status).toBe(200)
  })
})
