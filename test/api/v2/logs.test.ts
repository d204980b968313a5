import type { AddressInfo } from 'node:net'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.js'
import { machine } from '../../helpers/machines.js'
import { assertMatchesV2Spec } from '../../helpers/spec-v2.js'

const BOOT = 5000

interface LogEvent {
  id: string
  ts: string
  source: string
  line: string
}

function parseEvents(text: string): LogEvent[] {
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('id: '))
    .map((block) => {
      const [idLine, dataLine] = block.split('\n')
      return { id: idLine!.slice(4), ...JSON.parse(dataLine!.slice(6)) }
    })
}

describe('GET /v2/pods/{id}/logs', () => {
  let t: TestApp
  let key: string
  beforeEach(async () => {
    t = await createTestApp({ machines: [machine({ id: 'host', cuda_version: '12.8' })], bootMs: BOOT })
    key = await t.key('alice')
    await t.store.account.setSshKeys('alice', ['ssh-ed25519 AAAA alice@laptop'])
  })
  afterEach(() => t.close())

  const logs = async (id: string, query = '', headers: Record<string, string> = {}) => {
    const url = `/v2/pods/${id}/logs?follow=false${query}`
    const res = await t.app.inject({
      method: 'GET',
      url,
      headers: { authorization: `Bearer ${key}`, ...headers },
    })
    const body = res.headers['content-type']?.toString().startsWith('text/event-stream')
      ? undefined
      : res.json()
    assertMatchesV2Spec({
      method: 'GET',
      url,
      status: res.statusCode,
      body,
      headers: res.headers,
      metered: true,
    })
    return { res, events: parseEvents(res.body) }
  }

  const createPod = async () => {
    const res = await t.request('POST', '/v2/pods', {
      key,
      body: {
        name: 'train',
        image: 'runpod/pytorch:2.4',
        gpu: { id: 'NVIDIA GeForce RTX 4090' },
        ports: ['22/tcp', '8888/http'],
        startSsh: true,
        startJupyter: true,
        args: 'python train.py',
      },
    })
    expect(res.status).toBe(201)
    return res.body.id as string
  }

  it('tells a pod’s story: scheduling and pull while it boots, the container’s start-up once it is up, the stop', async () => {
    const id = await createPod()
    const booting = await logs(id)
    expect(booting.res.headers).toMatchObject({
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      'x-accel-buffering': 'no',
    })
    expect(booting.events.map((e) => [e.source, e.line])).toEqual([
      ['system', `Pod ${id} scheduled on machine host in US-TX-3`],
      ['system', 'Pulling image runpod/pytorch:2.4'],
    ])
    expect(booting.events[0]!.id).toBe(`${booting.events[0]!.ts}/000000000000`)

    t.clock.advance(BOOT)
    const up = (await logs(id)).events.map((e) => e.line)
    expect(up).toEqual(
      expect.arrayContaining([
        'Image runpod/pytorch:2.4 pulled',
        '== CUDA ==',
        'CUDA Version 12.8',
        'SSH service started',
        'Jupyter Lab is running at http://0.0.0.0:8888/lab',
        '$ python train.py',
        'Container is ready',
      ]),
    )
    t.clock.advance(60_000)
    await t.request('POST', `/v2/pods/${id}/action`, { key, body: { action: 'stop' } })
    const all = (await logs(id)).events
    expect(all.slice(-2).map((e) => e.line)).toEqual([
      'Stopping container',
      `Container for pod ${id} stopped`,
    ])
    const ids = all.map((e) => e.id)
    expect([...ids].sort()).toEqual(ids)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('filters by source, since and tail, and resumes after Last-Event-ID', async () => {
    const id = await createPod()
    t.clock.advance(BOOT)
    const all = (await logs(id)).events
    const system = (await logs(id, '&source=system')).events
    expect(system.length).toBeGreaterThan(0)
    expect(system.every((e) => e.source === 'system')).toBe(true)
    expect((await logs(id, '&source=container')).events.every((e) => e.source === 'container')).toBe(true)
    expect((await logs(id, '&tail=3')).events).toEqual(all.slice(-3))
    expect((await logs(id, '&tail=0')).events).toEqual([])
    const readyAt = all.at(-1)!.ts
    expect((await logs(id, `&since=${readyAt}`)).events.every((e) => e.ts >= readyAt)).toBe(true)
    const resumed = (await logs(id, '', { 'last-event-id': all[4]!.id })).events
    expect(resumed).toEqual(all.slice(5))

    for (const query of ['&source=stdout', '&tail=5001', '&since=yesterday']) {
      expect((await logs(id, query)).res.statusCode, query).toBe(422)
    }
    expect((await logs(id, '', { 'last-event-id': 'nonsense' })).res.statusCode).toBe(422)
    expect((await logs('nope')).res.statusCode).toBe(404)
  })

  it('streams new lines to a connected client as the pod produces them', async () => {
    const id = await createPod()
    await t.app.listen({ port: 0, host: '127.0.0.1' })
    const { port } = t.app.server.address() as AddressInfo
    const abort = new AbortController()
    const res = await fetch(`http://127.0.0.1:${port}/v2/pods/${id}/logs`, {
      headers: { authorization: `Bearer ${key}` },
      signal: abort.signal,
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('ratelimit')).toMatch(/^"minute";r=\d+/)
    const reader = res.body!.getReader()
    let text = ''
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) {
        const { value, done } = await reader.read()
        if (done) throw new Error(`stream ended before "${needle}"`)
        text += new TextDecoder().decode(value)
      }
    }
    await readUntil('Pulling image')
    expect(text).not.toContain('Container is ready')
    t.clock.advance(BOOT)
    await readUntil('Container is ready')
    const events = parseEvents(text)
    expect(new Set(events.map((e) => e.id)).size).toBe(events.length)
    abort.abort()
  })
})
