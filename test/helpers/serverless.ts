import { afterEach, beforeEach, expect } from 'vitest'
import { createTestApp, type TestApp, type TestResponse } from './app.js'
import { expectAllocationsConsistent } from './invariants.js'
import { cpuMachine, machine } from './machines.js'
import { assertMatchesV2Spec } from './spec-v2.js'

/** How long a worker takes to boot in the serverless suites. */
export const BOOT = 3000
export const RTX_4090 = 'NVIDIA GeForce RTX 4090'

/** The smallest valid v2 create body: a queue on the ADA_24 pool. */
export const ENDPOINT_BODY = {
  name: 'inference',
  type: 'QUEUE',
  scaling: { type: 'QUEUE_DELAY', queueDelay: 4 },
  image: 'me/worker:1',
  gpu: { pools: ['ADA_24'] },
} as const

export interface LogEvent {
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

export interface ServerlessSuite {
  /** A fresh app per test: an 8× RTX 4090 host (CUDA 12.8) in US-TX-3 and a cpu3c host. */
  t: TestApp
  alice: string
  bob: string
  /** Creates an endpoint from ENDPOINT_BODY with `body` over it; expects 201. */
  create(body?: Record<string, unknown>, key?: string): Promise<any>
  get(id: string, key?: string): Promise<TestResponse>
  patch(id: string, body: Record<string, unknown>, key?: string): Promise<TestResponse>
  /** The endpoint's workers response; expects 200. */
  workers(id: string, key?: string): Promise<any>
  /** The endpoint's releases response; expects 200. */
  releases(id: string, key?: string): Promise<any>
  /** A worker's logs as a finite stream (`follow=false`), checked against the v2 spec. */
  logs(
    id: string,
    workerId: string,
    query?: string,
    key?: string,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Record<string, unknown>; body: any; events: LogEvent[] }>
}

/** Installs a fresh app per test (keys for alice and bob) and returns the suite's helpers. */
export function serverlessSuite(): ServerlessSuite {
  const s = {
    async create(body = {}, key = s.alice) {
      const res = await s.t.request('POST', '/v2/serverless', { key, body: { ...ENDPOINT_BODY, ...body } })
      expect(res.status, JSON.stringify(res.body)).toBe(201)
      return res.body
    },
    get: (id, key = s.alice) => s.t.request('GET', `/v2/serverless/${id}`, { key }),
    patch: (id, body, key = s.alice) => s.t.request('PATCH', `/v2/serverless/${id}`, { key, body }),
    async workers(id, key = s.alice) {
      const res = await s.t.request('GET', `/v2/serverless/${id}/workers`, { key })
      expect(res.status).toBe(200)
      return res.body
    },
    async releases(id, key = s.alice) {
      const res = await s.t.request('GET', `/v2/serverless/${id}/releases`, { key })
      expect(res.status).toBe(200)
      return res.body
    },
    async logs(id, workerId, query = '', key = s.alice, headers = {}) {
      const url = `/v2/serverless/${id}/workers/${workerId}/logs?follow=false${query}`
      const res = await s.t.app.inject({
        method: 'GET',
        url,
        headers: { authorization: `Bearer ${key}`, ...headers },
      })
      const stream = String(res.headers['content-type'] ?? '').startsWith('text/event-stream')
      const body = stream ? undefined : res.json()
      assertMatchesV2Spec({
        method: 'GET',
        url,
        status: res.statusCode,
        body,
        headers: res.headers,
        metered: true,
      })
      return {
        status: res.statusCode,
        headers: res.headers,
        body,
        events: stream ? parseEvents(res.body) : [],
      }
    },
  } as ServerlessSuite
  beforeEach(async () => {
    s.t = await createTestApp({
      machines: [
        machine({ id: 'gpu-a', gpu_count: 8, cuda_version: '12.8' }),
        cpuMachine({ id: 'cpu-a', cpu_flavor_id: 'cpu3c' }),
      ],
      bootMs: BOOT,
    })
    s.alice = await s.t.key('alice')
    s.bob = await s.t.key('bob')
  })
  afterEach(async () => {
    await expectAllocationsConsistent(s.t.db)
    await s.t.close()
  })
  return s
}
