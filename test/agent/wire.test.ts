import { describe, expect, it } from 'vitest'
import { parseTimestamped } from '../../src/agent/logs.js'
import { registryHost } from '../../src/agent/reconcile.js'
import { dockerOptions } from '../../src/agent/runtime.js'
import { EventStreamParser, type ServerEvent } from '../../src/agent/sse.js'

function parse(chunks: string[]): ServerEvent[] {
  const events: ServerEvent[] = []
  const parser = new EventStreamParser((e) => events.push(e))
  for (const chunk of chunks) parser.push(chunk)
  return events
}

describe('the watch stream', () => {
  it('yields each event with the id it carries, across chunk boundaries and line endings', () => {
    expect(
      parse([': keepalive\n\nid: 4\nda', 'ta: {}\n\r', '\nid: 5\r\n\r\n', 'data: x\ndata: y\n\n']),
    ).toEqual([
      { id: '4', event: 'message', data: '{}' },
      { id: '5', event: 'message', data: '' },
      { id: '5', event: 'message', data: 'x\ny' },
    ])
  })

  it('ignores comments and blocks that say nothing', () => {
    expect(parse([': ping\n\n\n', 'retry: 1000\n\n'])).toEqual([])
  })
})

describe('container log lines', () => {
  it('reads the runtime timestamp to the millisecond', () => {
    expect(parseTimestamped('2026-11-30T10:00:00.123456789Z hello world')).toEqual({
      ts: Date.parse('2026-11-30T10:00:00.123Z'),
      text: 'hello world',
    })
    expect(parseTimestamped('2026-11-30T10:00:00+01:00 ')).toEqual({
      ts: Date.parse('2026-11-30T09:00:00.000Z'),
      text: '',
    })
  })

  it('stamps a line without a timestamp with the time it arrived', () => {
    const before = Date.now()
    const { ts, text } = parseTimestamped('no stamp here')
    expect(text).toBe('no stamp here')
    expect(ts).toBeGreaterThanOrEqual(before)
  })
})

describe('the docker host', () => {
  it.each([
    ['unix:///run/podman/podman.sock', { socketPath: '/run/podman/podman.sock' }],
    ['/var/run/docker.sock', { socketPath: '/var/run/docker.sock' }],
    ['tcp://10.0.0.5:2375', { host: '10.0.0.5', port: 2375, protocol: 'http' }],
    ['https://docker.internal:2376', { host: 'docker.internal', port: 2376, protocol: 'https' }],
  ])('understands %s', (host, options) => {
    expect(dockerOptions(host)).toEqual(options)
  })

  it('refuses what it does not understand', () => {
    expect(() => dockerOptions('ssh://me@host')).toThrow(/unsupported docker host ssh:\/\/me@host/)
  })
})

describe('registry credentials', () => {
  it.each([
    ['runpod/base:0.6.2', 'docker.io'],
    ['ubuntu', 'docker.io'],
    ['ghcr.io/org/app:1', 'ghcr.io'],
    ['localhost:5000/app', 'localhost:5000'],
  ])('go to the registry of %s', (image, host) => {
    expect(registryHost(image)).toBe(host)
  })
})
