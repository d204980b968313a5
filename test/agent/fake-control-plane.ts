import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type {
  DesiredPod,
  DesiredState,
  Heartbeat,
  Inventory,
  LogBatch,
  PodReport,
} from '../../src/agent/protocol.js'

type LogLine = LogBatch['lines'][number]

/**
 * A stand-in for the server's `/agent/v1`: serves a desired state (and its watch) and records what
 * the agent says. The real server is tested end to end elsewhere; this tests the agent alone.
 */
export class FakeControlPlane {
  readonly joinToken = 'join-token'
  readonly machineId: string
  readonly credential = 'machine-credential'
  readonly reports: { podId: string; report: PodReport }[] = []
  readonly logs = new Map<string, LogLine[]>()
  readonly heartbeats: Heartbeat[] = []
  readonly inventories: { method: string; inventory: Inventory }[] = []
  readonly watchLastEventIds: (string | undefined)[] = []
  readonly registryAuthRequests: string[] = []
  /** Answer every machine route with 401, as after the machine was removed. */
  revoked = false
  /** Answer the watch with 503, so the agent has to poll. */
  watchBroken = false
  private state: DesiredState = { revision: '1', pods: [] }
  private readonly watchers = new Set<http.ServerResponse>()
  private server: http.Server | null = null
  url = ''

  constructor(machineId = `m-${Math.random().toString(36).slice(2, 10)}`) {
    this.machineId = machineId
  }

  async start(): Promise<this> {
    this.server = http.createServer((request, response) => void this.handle(request, response))
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve))
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`
    return this
  }

  async close(): Promise<void> {
    for (const watcher of this.watchers) watcher.destroy()
    this.server?.closeAllConnections()
    await new Promise((resolve) => this.server?.close(resolve))
  }

  desired(): DesiredState {
    return this.state
  }

  /** Replaces the desired pods, bumps the revision and tells the watchers. */
  setPods(pods: DesiredPod[]): DesiredState {
    this.state = { revision: String(Number(this.state.revision) + 1), pods }
    for (const watcher of this.watchers) watcher.write(`id: ${this.state.revision}\ndata: {}\n\n`)
    return this.state
  }

  /** Cuts every open watch, as a restarting proxy would. */
  dropWatchers(): void {
    for (const watcher of this.watchers) watcher.destroy()
  }

  reportsOf(podId: string): PodReport[] {
    return this.reports.filter((r) => r.podId === podId).map((r) => r.report)
  }

  linesOf(podId: string, source?: LogLine['source']): LogLine[] {
    return (this.logs.get(podId) ?? []).filter((l) => !source || l.source === source)
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const path = (request.url ?? '').replace(/^\/agent\/v1/, '')
    const body = await readBody(request)
    const bearer = request.headers.authorization?.replace(/^Bearer /, '')
    const send = (status: number, payload?: unknown) => {
      response.writeHead(status, { 'content-type': 'application/json' })
      response.end(payload === undefined ? '' : JSON.stringify(payload))
    }
    if (path === '/register' && request.method === 'POST') {
      if (bearer !== this.joinToken) return send(401, { error: 'invalid join token', status: 401 })
      this.inventories.push({ method: 'POST', inventory: body as Inventory })
      return send(201, { machineId: this.machineId, credential: this.credential })
    }
    if (bearer !== this.credential || this.revoked) return send(401, { error: 'unauthorized', status: 401 })
    if (path === '/inventory' && request.method === 'PUT') {
      this.inventories.push({ method: 'PUT', inventory: body as Inventory })
      return send(200, {})
    }
    if (path === '/heartbeat') {
      this.heartbeats.push(body as Heartbeat)
      return send(200, { machineId: this.machineId, intervalMs: 5000, timeoutMs: 30000 })
    }
    if (path === '/pods') return send(200, this.state)
    if (path === '/pods/watch') {
      if (this.watchBroken) return send(503, { error: 'watch unavailable', status: 503 })
      this.watchLastEventIds.push(request.headers['last-event-id'] as string | undefined)
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      response.write(`: hello\nid: ${this.state.revision}\ndata: {}\n\n`)
      this.watchers.add(response)
      response.on('close', () => this.watchers.delete(response))
      return
    }
    const match = /^\/pods\/([^/]+)\/(status|logs|registry-auth)$/.exec(path)
    if (!match) return send(404, { error: 'not found', status: 404 })
    const podId = decodeURIComponent(match[1] ?? '')
    if (match[2] === 'registry-auth') {
      this.registryAuthRequests.push(podId)
      return send(200, { username: 'puller', password: 'secret' })
    }
    if (!this.state.pods.some((p) => p.id === podId))
      return send(404, { error: 'pod not found', status: 404 })
    if (match[2] === 'status') this.reports.push({ podId, report: body as PodReport })
    else this.logs.set(podId, [...(this.logs.get(podId) ?? []), ...(body as LogBatch).lines])
    return send(200, {})
  }
}

async function readBody(request: http.IncomingMessage): Promise<unknown> {
  let text = ''
  for await (const chunk of request) text += chunk
  return text ? JSON.parse(text) : undefined
}

let podCounter = 0

/** A RUNNING pod of the test image with nothing else asked; override what the test is about. */
export function desiredPod(overrides: Partial<DesiredPod> = {}): DesiredPod {
  podCounter += 1
  const id = overrides.id ?? `pod${process.pid}x${podCounter}${Math.random().toString(36).slice(2, 6)}`
  return {
    id,
    name: `test-${id}`,
    image: 'localhost/podplane-test-busybox:latest',
    desiredStatus: 'RUNNING',
    bootId: `boot-${podCounter}-${Math.random().toString(36).slice(2, 8)}`,
    env: {},
    ports: [],
    portMappings: {},
    dockerEntrypoint: [],
    // Exits at once on SIGTERM (sleep as pid 1 would ignore it and wait for the stop timeout).
    dockerStartCmd: ['/bin/sh', '-c', 'trap "exit 0" TERM; sleep 300 & wait'],
    containerDiskInGb: 1,
    volumeInGb: 0,
    volumeMountPath: '/workspace',
    networkVolumeId: null,
    gpuCount: 0,
    vcpuCount: 1,
    memoryInGb: 1,
    hasRegistryAuth: false,
    logsAfter: null,
    ...overrides,
  }
}

/** Polls `check` until it returns something truthy, or fails with `what` after `timeoutMs`. */
export async function waitFor<T>(what: string, check: () => T | Promise<T>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}
