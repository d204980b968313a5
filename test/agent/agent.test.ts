import { mkdtemp, readFile, rm, stat } from 'node:fs/promises'
import os from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { type AgentOptions, runAgent } from '../../src/agent/agent.js'
import { silentLogger, stderrLogger } from '../../src/agent/logger.js'
import { LABELS } from '../../src/agent/protocol.js'
import { Runtime } from '../../src/agent/runtime.js'
import { usePodman } from '../helpers/podman.js'
import { desiredPod, FakeControlPlane, waitFor } from './fake-control-plane.js'

const podman = usePodman()
let controlPlane: FakeControlPlane
let stateDir: string
const running: { stop: AbortController; exited: Promise<number> }[] = []

afterEach(async () => {
  for (const agent of running.splice(0)) {
    agent.stop.abort()
    await agent.exited.catch(() => {})
  }
  await podman.removeContainers(`${LABELS.machine}=${controlPlane.machineId}`)
  await controlPlane.close()
  await rm(stateDir, { recursive: true, force: true })
})

async function setUp(): Promise<void> {
  controlPlane = await new FakeControlPlane().start()
  stateDir = await mkdtemp(join(os.tmpdir(), 'podplane-agent-state-'))
}

/** Starts an agent in this process; returns its stop switch and the exit code it will resolve. */
function startAgent(options: Partial<AgentOptions> = {}): { stop: AbortController; exited: Promise<number> } {
  const stop = new AbortController()
  const exited = runAgent(
    {
      server: controlPlane.url,
      token: controlPlane.joinToken,
      stateDir,
      dockerHost: podman.dockerHost,
      gpus: { name: 'NVIDIA GeForce RTX 4090', count: 2 },
      dataDir: join(stateDir, 'data'),
      pollIntervalMs: 200,
      heartbeatIntervalMs: 200,
      logger: process.env.AGENT_DEBUG ? stderrLogger : silentLogger,
      ...options,
    },
    stop.signal,
  )
  running.push({ stop, exited })
  return { stop, exited }
}

const containersOf = async () => (await Runtime.connect(podman.dockerHost)).list(controlPlane.machineId)

describe('podplane agent', () => {
  it('registers with the join token and keeps the credential private', async () => {
    await setUp()
    const agent = startAgent({ publicIp: '203.0.113.7' })
    await waitFor('a heartbeat', () => controlPlane.heartbeats.length > 0)

    const saved = JSON.parse(await readFile(join(stateDir, 'credential.json'), 'utf8'))
    expect(saved).toEqual({
      server: controlPlane.url,
      machineId: controlPlane.machineId,
      credential: controlPlane.credential,
    })
    expect((await stat(join(stateDir, 'credential.json'))).mode & 0o777).toBe(0o600)
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700)
    const [registration] = controlPlane.inventories
    expect(registration?.method).toBe('POST')
    expect(registration?.inventory).toMatchObject({
      gpus: [{ name: 'NVIDIA GeForce RTX 4090', count: 2 }],
      cudaVersion: null,
      publicIp: '203.0.113.7',
      runtime: { name: 'podman' },
      agentVersion: JSON.parse(await readFile('package.json', 'utf8')).version,
    })
    expect(controlPlane.heartbeats[0]).toEqual({ runtimeError: null })
    agent.stop.abort()
    expect(await agent.exited).toBe(0)
  })

  it('reuses its saved credential on the next start, without a token', async () => {
    await setUp()
    const first = startAgent()
    await waitFor('a heartbeat', () => controlPlane.heartbeats.length > 0)
    first.stop.abort()
    await first.exited

    const second = startAgent({ token: undefined })
    await waitFor('the inventory update', () => controlPlane.inventories.length === 2)
    expect(controlPlane.inventories.map((i) => i.method)).toEqual(['POST', 'PUT'])
    second.stop.abort()
    expect(await second.exited).toBe(0)
  })

  it('refuses to start unregistered without a token', async () => {
    await setUp()
    await expect(startAgent({ token: undefined }).exited).rejects.toThrow(/pass --token <joinToken>/)
  })

  it('runs what the watch announces, resumes the watch from its last event, and leaves pods running when stopped', async () => {
    await setUp()
    const agent = startAgent()
    await waitFor('the watch', () => controlPlane.watchLastEventIds.length > 0)
    const pod = desiredPod()
    controlPlane.setPods([pod])
    await waitFor('the pod running', () => controlPlane.reportsOf(pod.id).some((r) => r.state === 'running'))

    const revision = controlPlane.desired().revision
    controlPlane.dropWatchers()
    await waitFor('the watch again', () => controlPlane.watchLastEventIds.length > 1)
    expect(controlPlane.watchLastEventIds).toEqual([undefined, revision])

    agent.stop.abort()
    expect(await agent.exited).toBe(0)
    expect((await containersOf()).map((c) => c.state)).toEqual(['running'])
  })

  it('polls the desired state while the watch is down', async () => {
    await setUp()
    controlPlane.watchBroken = true
    startAgent()
    await waitFor('a heartbeat', () => controlPlane.heartbeats.length > 0)
    const pod = desiredPod()
    controlPlane.setPods([pod])
    await waitFor('the pod running', () => controlPlane.reportsOf(pod.id).some((r) => r.state === 'running'))
  })

  it('notices a container that exited on its own', async () => {
    await setUp()
    startAgent()
    const pod = desiredPod({ dockerStartCmd: ['/bin/sh', '-c', 'sleep 0.5; exit 7'] })
    controlPlane.setPods([pod])
    const exited = await waitFor('the exit report', () =>
      controlPlane.reportsOf(pod.id).find((r) => r.state === 'exited'),
    )
    expect(exited).toEqual({ bootId: pod.bootId, state: 'exited', exitCode: 7 })
  })

  it('stops with exit code 1 when the server rejects its credential', async () => {
    await setUp()
    const agent = startAgent()
    await waitFor('a heartbeat', () => controlPlane.heartbeats.length > 0)
    controlPlane.revoked = true
    expect(await agent.exited).toBe(1)
  })

  it('tells the control plane in its heartbeats that the runtime is unreachable', async () => {
    await setUp()
    startAgent({ dockerHost: 'unix:///nonexistent/podplane/docker.sock' })
    const beat = await waitFor('a heartbeat', () => controlPlane.heartbeats[0])
    expect(beat).toEqual({ runtimeError: 'connect ENOENT /nonexistent/podplane/docker.sock' })
    expect(controlPlane.inventories[0]?.inventory.runtime).toEqual({
      name: 'unknown',
      version: 'unreachable',
    })
  })
})
