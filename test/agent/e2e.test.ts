import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createServer, type Server } from 'node:net'
import os from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { LABELS } from '../../src/agent/protocol.js'
import { CLI, callApi, exitOf, runCli, startServerProcess } from '../helpers/cli.js'
import { type Podman, startPodman, TEST_IMAGE } from '../helpers/podman.js'

/**
 * The whole path with nothing simulated: a podplane server process, a `podplane agent` process
 * joined with a join token, and Podman's Docker-compatible service running real containers.
 */
describe('podplane agent end to end (server + agent + Podman)', () => {
  let dir: string
  let podman: Podman
  let server: { url: string; child: ChildProcess }
  let env: Record<string, string>
  let admin: string
  let alice: string
  const agents: ChildProcess[] = []
  /** The tail of each agent's stderr, shown when a wait times out. */
  const agentOutput = new Map<ChildProcess, string>()

  beforeAll(async () => {
    dir = await mkdtemp(join(os.tmpdir(), 'podplane-e2e-'))
    podman = await startPodman()
    env = {
      PODPLANE_DB: join(dir, 'podplane.db'),
      PODPLANE_SEED_MACHINES: '0',
      PODPLANE_AGENT_HEARTBEAT_TIMEOUT_MS: '3000',
    }
    server = await startServerProcess(env)
    admin = cli(['keys', 'create', '--admin'])
    alice = cli(['keys', 'create', '--user', 'alice'])
  }, 120_000)

  afterAll(async () => {
    for (const agent of agents) if (agent.exitCode === null) agent.kill('SIGKILL')
    server?.child.kill('SIGTERM')
    if (server) await exitOf(server.child)
    await podman?.removeContainers(`${LABELS.machine}`)
    await podman?.stop()
    await rm(dir, { recursive: true, force: true })
  }, 60_000)

  function cli(args: string[]): string {
    const result = runCli(args, env)
    expect(result.code, result.stderr).toBe(0)
    return result.stdout.trim()
  }

  function startAgent(args: string[]): ChildProcess {
    const child = spawn(process.execPath, [CLI, 'agent', '--server', server.url, ...args], {
      env: { ...process.env, PODPLANE_AGENT_STATE: '' },
      stdio: ['ignore', 'ignore', 'pipe'],
    })
    agentOutput.set(child, '')
    child.stderr?.on('data', (chunk) => {
      agentOutput.set(child, (agentOutput.get(child)! + chunk).slice(-3000))
    })
    agents.push(child)
    return child
  }

  const api = (method: string, path: string, key: string, body?: unknown) =>
    callApi(server.url, key, method, path, body)
  const machines = async () => (await api('GET', '/admin/v1/machines', admin)).body as any[]
  const pod = async (id: string) => (await api('GET', `/v1/pods/${id}`, alice)).body
  const v2Status = async (id: string) => (await api('GET', `/v2/pods/${id}`, alice)).body.status as string

  async function eventually<T>(
    what: string,
    probe: () => Promise<T | undefined | false>,
    ms = 30_000,
  ): Promise<T> {
    const deadline = Date.now() + ms
    let last: unknown
    while (Date.now() < deadline) {
      try {
        const value = await probe()
        if (value !== undefined && value !== false) return value
      } catch (error) {
        last = error
      }
      await new Promise((resolve) => setTimeout(resolve, 250))
    }
    const output = [...agentOutput.values()].map((o, i) => `agent ${i + 1}:\n${o}`).join('\n')
    throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}\n${output}`)
  }

  /** The containers Podman has for a pod, with their state (`running`, `exited`, …). */
  async function containersOf(podId: string): Promise<{ id: string; state: string }[]> {
    const out = await podman.podman([
      'ps',
      '-a',
      '--filter',
      `label=${LABELS.pod}=${podId}`,
      '--format',
      'json',
    ])
    return (JSON.parse(out || '[]') as { Id: string; State: string }[]).map((c) => ({
      id: c.Id,
      state: c.State,
    }))
  }

  const httpGet = async (port: number) => (await fetch(`http://127.0.0.1:${port}/`)).text()

  let gpuMachineId: string
  let webPod: string
  let webPort: number
  const gpuAgentArgs = () => [
    '--state-dir',
    join(dir, 'agent-a'),
    '--docker-host',
    podman.dockerHost,
    '--gpus',
    'NVIDIA A40:2',
    '--public-ip',
    '127.0.0.1',
    '--data-dir',
    join(dir, 'agent-a', 'data'),
    '--heartbeat-interval',
    '500',
    '--poll-interval',
    '1000',
  ]

  it('joins a host: the machine appears with driver agent', async () => {
    const token = cli(['fleet', 'join-token', 'create', '--dc', 'EU-RO-1', '--expires', '1h'])
    expect(token).toMatch(/^pjt_/)
    startAgent([...gpuAgentArgs(), '--token', token])
    const machine = await eventually('the agent to register', async () =>
      (await machines()).find((m) => m.driver === 'agent' && m.gpuTypeId === 'NVIDIA A40'),
    )
    expect(machine).toMatchObject({
      dataCenterId: 'EU-RO-1',
      gpuCount: 2,
      publicIp: '127.0.0.1',
      state: 'ready',
    })
    gpuMachineId = machine.id
  }, 60_000)

  it('runs a created pod as a real container whose port answers and whose logs reach the API', async () => {
    const created = await api('POST', '/v1/pods', alice, {
      name: 'web',
      imageName: TEST_IMAGE,
      gpuTypeIds: ['NVIDIA A40'],
      minVCPUPerGPU: 1, // the test host has 2 cores for its 2 declared GPUs
      ports: ['8080/tcp'],
      env: { GREETING: 'hello-from-pod' },
      dockerStartCmd: ['/bin/sh', '-c', 'echo "$GREETING"; exec httpd -f -v -p 8080 -h /www'],
    })
    expect(created.status, JSON.stringify(created.body)).toBe(201)
    webPod = created.body.id
    expect(created.body.machineId).toBe(gpuMachineId)
    await eventually('the pod to run', async () => (await v2Status(webPod)) === 'RUNNING')
    const running = await pod(webPod)
    expect(running.publicIp).toBe('127.0.0.1')
    webPort = running.portMappings['8080']
    expect(await httpGet(webPort)).toBe('hello from podplane\n')

    const logs = await eventually('the container output in the pod logs', async () => {
      const res = await api('GET', `/v2/pods/${webPod}/logs?follow=false`, alice)
      return typeof res.body === 'string' && res.body.includes('hello-from-pod') ? res.body : undefined
    })
    expect(logs).toContain('"source":"container"')
    const [container] = await containersOf(webPod)
    expect(container?.state).toBe('running')
  }, 90_000)

  it('maps stop, start and restart to the container', async () => {
    expect((await api('POST', `/v1/pods/${webPod}/stop`, alice)).status).toBe(200)
    await eventually('the container to stop', async () =>
      (await containersOf(webPod)).every((c) => c.state !== 'running'),
    )
    expect((await api('POST', `/v1/pods/${webPod}/start`, alice)).status).toBe(200)
    await eventually('the pod to run again', async () => (await v2Status(webPod)) === 'RUNNING')
    const containers = await containersOf(webPod)
    expect(containers.filter((c) => c.state === 'running')).toHaveLength(1)
    expect(await httpGet((await pod(webPod)).portMappings['8080'])).toBe('hello from podplane\n')
    // A restart boots a fresh container in place of the running one.
    expect((await api('POST', `/v1/pods/${webPod}/restart`, alice)).status).toBe(200)
    const restarted = await eventually('a fresh container to run', async () => {
      const now = await containersOf(webPod)
      return now.length === 1 && now[0]!.id !== containers[0]!.id && now[0]!.state === 'running'
        ? now
        : undefined
    })
    await eventually('the pod to run after its restart', async () => (await v2Status(webPod)) === 'RUNNING')
    expect(restarted).toHaveLength(1)
  }, 90_000)

  it('adopts running containers after the agent is killed and restarted, without duplicating them', async () => {
    const before = await containersOf(webPod)
    const [agent] = agents
    agent!.kill('SIGKILL')
    await exitOf(agent!)
    // Restarted with its saved credential: no join token this time.
    startAgent(gpuAgentArgs())
    await new Promise((resolve) => setTimeout(resolve, 4000))
    expect(await containersOf(webPod)).toEqual(before)
    expect(await v2Status(webPod)).toBe('RUNNING')
    expect(await httpGet((await pod(webPod)).portMappings['8080'])).toBe('hello from podplane\n')
  }, 60_000)

  it('gives the pod an error state with the runtime’s message when the image is missing', async () => {
    const created = await api('POST', '/v1/pods', alice, {
      imageName: 'localhost/podplane-no-such-image:1',
      ports: [], // no host port: the next test counts on the one after the web pod's
      gpuTypeIds: ['NVIDIA A40'],
      minVCPUPerGPU: 1, // the test host has 2 cores for its 2 declared GPUs
    })
    expect(created.status).toBe(201)
    await eventually('the pod to fail', async () => (await v2Status(created.body.id)) === 'ERROR')
    expect((await pod(created.body.id)).lastStatusChange).toMatch(
      /^Error: image pull failed: .*podplane-no-such-image/,
    )
    expect((await api('DELETE', `/v1/pods/${created.body.id}`, alice)).status).toBe(204)
  }, 60_000)

  it('gives the pod an error state when its host port is taken', async () => {
    // Host ports are handed out in order on each machine: the next pod gets the one after the last.
    const taken = (await pod(webPod)).portMappings['8080'] + 1
    const blocker: Server = createServer()
    await new Promise<void>((resolve) => blocker.listen(taken, '0.0.0.0', resolve))
    try {
      const created = await api('POST', '/v1/pods', alice, {
        imageName: TEST_IMAGE,
        gpuTypeIds: ['NVIDIA A40'],
        minVCPUPerGPU: 1, // the test host has 2 cores for its 2 declared GPUs
        ports: ['8080/tcp'],
        dockerStartCmd: ['/bin/sh', '-c', 'exec httpd -f -p 8080 -h /www'],
      })
      expect(created.status).toBe(201)
      await eventually('the pod to fail', async () => (await v2Status(created.body.id)) === 'ERROR').catch(
        async (error) => {
          throw new Error(
            `${error.message}; pod: ${JSON.stringify(await pod(created.body.id))}, port ${taken}`,
          )
        },
      )
      const failed = await pod(created.body.id)
      expect(failed.lastStatusChange).toMatch(/^Error: .*(address already in use|port)/i)
      expect((await api('DELETE', `/v1/pods/${created.body.id}`, alice)).status).toBe(204)
    } finally {
      blocker.close()
    }
  }, 60_000)

  it('gives the pod an error state when the container runtime does not answer', async () => {
    const token = cli(['fleet', 'join-token', 'create', '--dc', 'EU-RO-1'])
    startAgent([
      '--token',
      token,
      '--state-dir',
      join(dir, 'agent-b'),
      '--docker-host',
      `unix://${join(dir, 'no-such-runtime.sock')}`,
      '--gpus',
      'NVIDIA GeForce RTX 4090:1',
      '--public-ip',
      '127.0.0.1',
      '--heartbeat-interval',
      '500',
    ])
    await eventually('the second agent to register', async () =>
      (await machines()).find((m) => m.gpuTypeId === 'NVIDIA GeForce RTX 4090'),
    )
    const created = await api('POST', '/v1/pods', alice, {
      imageName: TEST_IMAGE,
      gpuTypeIds: ['NVIDIA GeForce RTX 4090'],
    })
    expect(created.status).toBe(201)
    await eventually('the pod to fail', async () => (await v2Status(created.body.id)) === 'ERROR')
    expect((await pod(created.body.id)).lastStatusChange).toMatch(/^Error: container runtime unavailable/)
    expect((await api('DELETE', `/v1/pods/${created.body.id}`, alice)).status).toBe(204)
  }, 60_000)

  it('removes the container when the pod is deleted', async () => {
    expect((await api('DELETE', `/v1/pods/${webPod}`, alice)).status).toBe(204)
    await eventually('the container to be removed', async () => (await containersOf(webPod)).length === 0)
  }, 60_000)

  it('marks the machine down once its agent stops sending heartbeats', async () => {
    const agent = agents.find((a) => a.exitCode === null && a.signalCode === null && a !== agents.at(-1))!
    agent.kill('SIGTERM')
    expect(await exitOf(agent)).toBe(0)
    // Timeout 3 s, checked by the background pass every 5 s.
    await eventually(
      'the machine to be marked down',
      async () => (await machines()).find((m) => m.id === gpuMachineId)?.state === 'failed',
      20_000,
    )
    const down = (await machines()).find((m) => m.id === gpuMachineId)
    expect(down.failureNote).toBe('agent missed its heartbeats')
  }, 60_000)
})
