import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { Inventory } from '../../src/agent/protocol.js'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { expectAllocationsConsistent } from '../helpers/invariants.js'
import { machine } from '../helpers/machines.js'

const inventory = (over: Partial<Inventory> = {}): Inventory => ({
  hostname: 'gpu-host-1',
  gpus: [{ name: 'NVIDIA A40', count: 2, memoryInGb: 48 }],
  cudaVersion: '12.4',
  vcpuCount: 32,
  memoryInGb: 256,
  diskInGb: 2000,
  publicIp: '203.0.113.7',
  runtime: { name: 'Podman Engine', version: '4.3.1' },
  agentVersion: '0.1.0',
  ...over,
})

/** The agent API over the real Fastify stack: joining, desired state, reports, logs, heartbeats. */
describe('/agent/v1', () => {
  let t: TestApp
  let admin: string
  let alice: string
  beforeEach(async () => {
    t = await createTestApp({
      machines: [machine({ id: 'sim-4090', data_center_id: 'US-TX-3', gpu_count: 4 })],
    })
    admin = await t.key('ops', { admin: true })
    alice = await t.key('alice')
  })
  afterEach(async () => {
    await expectAllocationsConsistent(t.db)
    await t.close()
  })

  const joinToken = async (body: Record<string, unknown> = { dataCenterId: 'EU-RO-1' }) => {
    const res = await t.request('POST', '/admin/v1/join-tokens', { key: admin, body })
    expect(res.status, res.raw).toBe(201)
    return res.body as { token: string; joinToken: { id: string; expiresAt: string | null } }
  }
  const register = async (over: Partial<Inventory> = {}) => {
    const { token } = await joinToken()
    const res = await t.request('POST', '/agent/v1/register', { key: token, body: inventory(over) })
    expect(res.status, res.raw).toBe(201)
    return res.body as { machineId: string; credential: string }
  }
  const createPod = async (body: Record<string, unknown> = {}) => {
    const res = await t.request('POST', '/v1/pods', {
      key: alice,
      body: { imageName: 'busybox', gpuTypeIds: ['NVIDIA A40'], ports: ['8080/tcp', '8888/http'], ...body },
    })
    expect(res.status, res.raw).toBe(201)
    return res.body as { id: string; machineId: string }
  }
  const desired = async (credential: string) => {
    const res = await t.request('GET', '/agent/v1/pods', { key: credential })
    expect(res.status, res.raw).toBe(200)
    return res.body as { revision: string; pods: any[] }
  }
  const report = (credential: string, podId: string, body: Record<string, unknown>) =>
    t.request('POST', `/agent/v1/pods/${podId}/status`, { key: credential, body })
  const v2Pod = async (id: string) => (await t.request('GET', `/v2/pods/${id}`, { key: alice })).body

  it('joins a host with a join token: an agent-driven machine in the token’s data center', async () => {
    const { machineId, credential } = await register()
    expect(credential).toMatch(/^pmc_/)
    const machines = (await t.request('GET', '/admin/v1/machines', { key: admin })).body
    expect(machines.find((m: any) => m.id === machineId)).toMatchObject({
      driver: 'agent',
      dataCenterId: 'EU-RO-1',
      gpuTypeId: 'NVIDIA A40',
      gpuCount: 2,
      vcpuCount: 32,
      memoryInGb: 256,
      secureCloud: true,
      agent: {
        hostname: 'gpu-host-1',
        runtime: 'Podman Engine 4.3.1',
        agentVersion: '0.1.0',
        lastHeartbeatAt: new Date(t.clock.now()).toISOString(),
        runtimeError: null,
      },
    })
    // Simulated machines have no agent.
    expect(machines.find((m: any) => m.id === 'sim-4090')).toMatchObject({ driver: 'simulated', agent: null })
    // A CPU-only host joins as a CPU machine.
    const cpu = await register({ hostname: 'cpu-host', gpus: [], cudaVersion: null })
    const cpuMachine = (await t.request('GET', '/admin/v1/machines', { key: admin })).body.find(
      (m: any) => m.id === cpu.machineId,
    )
    expect(cpuMachine).toMatchObject({ driver: 'agent', gpuTypeId: null, cpuFlavorId: 'cpu3g' })
  })

  it('refuses unknown, revoked and expired join tokens, and unknown GPU models', async () => {
    const bad = await t.request('POST', '/agent/v1/register', { key: 'pjt_nope', body: inventory() })
    expect(bad.status).toBe(401)
    expect(bad.body.error).toMatch(/invalid join token/)
    expect((await t.request('POST', '/agent/v1/register', { body: inventory() })).status).toBe(401)

    const revoked = await joinToken()
    const del = await t.request('DELETE', `/admin/v1/join-tokens/${revoked.joinToken.id}`, { key: admin })
    expect(del.status).toBe(204)
    expect(
      (await t.request('POST', '/agent/v1/register', { key: revoked.token, body: inventory() })).status,
    ).toBe(401)

    const shortLived = await joinToken({ dataCenterId: 'EU-RO-1', expiresInSeconds: 60 })
    t.clock.advance(61_000)
    const expired = await t.request('POST', '/agent/v1/register', {
      key: shortLived.token,
      body: inventory(),
    })
    expect(expired.status).toBe(401)
    expect(expired.body.error).toMatch(/expired/)

    const { token } = await joinToken()
    const unknownGpu = await t.request('POST', '/agent/v1/register', {
      key: token,
      body: inventory({ gpus: [{ name: 'Imaginary GPU 9000', count: 1 }] }),
    })
    expect(unknownGpu.status).toBe(400)
    expect(unknownGpu.body.error).toMatch(/Imaginary GPU 9000/)
    const noDc = await t.request('POST', '/admin/v1/join-tokens', {
      key: admin,
      body: { dataCenterId: 'XX-1' },
    })
    expect(noDc.status).toBe(400)
    // The list never shows the tokens themselves.
    const list = (await t.request('GET', '/admin/v1/join-tokens', { key: admin })).body
    expect(list.length).toBe(3)
    expect(JSON.stringify(list)).not.toContain('pjt_')
  })

  it('needs the machine credential, and a user key is not one', async () => {
    expect((await t.request('GET', '/agent/v1/pods')).status).toBe(401)
    expect((await t.request('GET', '/agent/v1/pods', { key: alice })).status).toBe(401)
    expect((await t.request('POST', '/agent/v1/heartbeat', { key: 'pmc_x', body: {} })).status).toBe(401)
  })

  it('gives the agent its machine’s pods, with host ports, and nobody else’s', async () => {
    const a = await register()
    const b = await register({ hostname: 'gpu-host-2' })
    const before = await desired(a.credential)
    const pod = await createPod({ gpuCount: 2, env: { MODE: 'serve' }, dockerStartCmd: ['httpd', '-f'] })
    const mine = pod.machineId === a.machineId ? a : b
    const other = mine === a ? b : a
    const state = await desired(mine.credential)
    expect(state.revision).not.toBe(before.revision)
    expect(state.pods).toHaveLength(1)
    expect(state.pods[0]).toMatchObject({
      id: pod.id,
      image: 'busybox',
      desiredStatus: 'RUNNING',
      env: { MODE: 'serve' },
      dockerStartCmd: ['httpd', '-f'],
      gpuCount: 2,
      hasRegistryAuth: false,
      logsAfter: null,
    })
    expect(Object.keys(state.pods[0].portMappings)).toEqual(['8080'])
    expect((await desired(other.credential)).pods).toEqual([])
    // Another machine's agent cannot report on it or write its logs.
    const foreign = await report(other.credential, pod.id, { bootId: state.pods[0].bootId, state: 'running' })
    expect(foreign.status).toBe(404)
    const logs = await t.request('POST', `/agent/v1/pods/${pod.id}/logs`, {
      key: other.credential,
      body: { lines: [{ ts: t.clock.now(), source: 'container', line: 'x' }] },
    })
    expect(logs.status).toBe(404)
  })

  it('keeps an agent pod booting until its agent reports the container running', async () => {
    const { credential } = await register()
    const pod = await createPod()
    t.clock.advance(3_600_000) // no simulated boot: time alone does not start a real container
    expect((await v2Pod(pod.id)).status).toBe('PROVISIONING')
    const [spec] = (await desired(credential)).pods
    expect((await report(credential, pod.id, { bootId: spec.bootId, state: 'starting' })).status).toBe(204)
    expect((await report(credential, pod.id, { bootId: spec.bootId, state: 'running' })).status).toBe(204)
    const running = await v2Pod(pod.id)
    expect(running.status).toBe('RUNNING')
    const v1 = (await t.request('GET', `/v1/pods/${pod.id}`, { key: alice })).body
    expect(v1.publicIp).toBe('203.0.113.7')
    expect(v1.portMappings).toEqual(spec.portMappings)

    // A restart is a new boot: back to STARTING until the agent reports the new container.
    await t.request('POST', `/v1/pods/${pod.id}/restart`, { key: alice })
    t.clock.advance(1)
    expect((await v2Pod(pod.id)).status).toBe('STARTING')
    const [restarted] = (await desired(credential)).pods
    expect(restarted.bootId).not.toBe(spec.bootId)
    // A late report about the old container changes nothing.
    await report(credential, pod.id, { bootId: spec.bootId, state: 'exited', exitCode: 1 })
    expect((await v2Pod(pod.id)).status).toBe('STARTING')
    await report(credential, pod.id, { bootId: restarted.bootId, state: 'running' })
    expect((await v2Pod(pod.id)).status).toBe('RUNNING')
  })

  it('turns an exited container into an EXITED pod with its exit code, and a failure into ERROR', async () => {
    const { credential, machineId } = await register()
    const exiting = await createPod()
    const failing = await createPod()
    const specs = (await desired(credential)).pods
    const bootOf = (id: string) => specs.find((p) => p.id === id).bootId
    await report(credential, exiting.id, { bootId: bootOf(exiting.id), state: 'running' })
    await report(credential, exiting.id, { bootId: bootOf(exiting.id), state: 'exited', exitCode: 3 })
    const exited = (await t.request('GET', `/v1/pods/${exiting.id}`, { key: alice })).body
    expect(exited.desiredStatus).toBe('EXITED')
    expect(exited.lastStatusChange).toMatch(/^Exited with code 3: /)

    const message = 'image pull failed: repository busybox-nope not found'
    await report(credential, failing.id, { bootId: bootOf(failing.id), state: 'error', message })
    const failed = await v2Pod(failing.id)
    expect(failed.status).toBe('ERROR')
    const failedV1 = (await t.request('GET', `/v1/pods/${failing.id}`, { key: alice })).body
    expect(failedV1.lastStatusChange).toContain(message)
    // An exited pod gives its GPUs back; a failed one keeps them until it is stopped or deleted.
    const m = (await t.request('GET', '/admin/v1/machines', { key: admin })).body.find(
      (x: any) => x.id === machineId,
    )
    expect(m.gpuUsed).toBe(1)
    expect((await desired(credential)).pods.find((p) => p.id === exiting.id).desiredStatus).toBe('EXITED')
  })

  it('drops terminated pods from the desired state', async () => {
    const { credential } = await register()
    const pod = await createPod()
    expect((await desired(credential)).pods).toHaveLength(1)
    expect((await t.request('DELETE', `/v1/pods/${pod.id}`, { key: alice })).status).toBe(204)
    expect((await desired(credential)).pods).toEqual([])
    const late = await report(credential, pod.id, { bootId: '1', state: 'running' })
    expect(late.status).toBe(404)
  })

  it('stores the logs an agent sends and serves them through GET /v2/pods/{id}/logs', async () => {
    const { credential } = await register()
    const pod = await createPod()
    const at = t.clock.now()
    const sent = await t.request('POST', `/agent/v1/pods/${pod.id}/logs`, {
      key: credential,
      body: {
        lines: [
          { ts: at, source: 'system', line: 'Pulling image busybox' },
          { ts: at + 5, source: 'container', line: 'hello from the container' },
          { ts: at + 5, source: 'container', line: 'second line, same millisecond' },
        ],
      },
    })
    expect(sent.status, sent.raw).toBe(204)
    const res = await t.app.inject({
      method: 'GET',
      url: `/v2/pods/${pod.id}/logs?follow=false&source=container`,
      headers: { authorization: `Bearer ${alice}` },
    })
    expect(res.statusCode).toBe(200)
    const lines = res.body
      .split('\n')
      .filter((l) => l.startsWith('data: '))
      .map((l) => JSON.parse(l.slice(6)).line)
    expect(lines).toEqual(['hello from the container', 'second line, same millisecond'])
    expect((await desired(credential)).pods[0].logsAfter).toBe(at + 5)
  })

  it('follows an agent pod’s log: lines sent after the stream opened arrive once each', async () => {
    const { credential } = await register()
    const pod = await createPod()
    const at = t.clock.now()
    const send = (lines: { ts: number; line: string }[]) =>
      t.request('POST', `/agent/v1/pods/${pod.id}/logs`, {
        key: credential,
        body: { lines: lines.map((l) => ({ ...l, source: 'container' })) },
      })
    await send([{ ts: at, line: 'before' }])
    const url = await t.app.listen({ port: 0, host: '127.0.0.1' })
    const abort = new AbortController()
    const res = await fetch(`${url}/v2/pods/${pod.id}/logs?source=container`, {
      headers: { authorization: `Bearer ${alice}` },
      signal: abort.signal,
    })
    const reader = res.body!.getReader()
    const seen: string[] = []
    const readUntil = async (count: number) => {
      let text = ''
      while (seen.length < count) {
        const { value, done } = await reader.read()
        if (done) break
        text += new TextDecoder().decode(value)
        const events = text.split('\n\n')
        text = events.pop()!
        for (const e of events) {
          const data = e.split('\n').find((l) => l.startsWith('data: '))
          if (data) seen.push(JSON.parse(data.slice(6)).line)
        }
      }
    }
    await readUntil(1)
    // Two more lines in the same millisecond as the first, and one later.
    await send([
      { ts: at, line: 'same millisecond' },
      { ts: at + 10, line: 'after' },
    ])
    await readUntil(3)
    abort.abort()
    expect(seen).toEqual(['before', 'same millisecond', 'after'])
  })

  it('hands the pod’s registry credential in clear to its own agent only', async () => {
    const { credential } = await register()
    const auth = await t.request('POST', '/v1/containerregistryauth', {
      key: alice,
      body: { name: 'private', username: 'bot', password: 's3cret!' },
    })
    const pod = await createPod({ containerRegistryAuthId: auth.body.id })
    expect((await desired(credential)).pods[0].hasRegistryAuth).toBe(true)
    const res = await t.request('GET', `/agent/v1/pods/${pod.id}/registry-auth`, { key: credential })
    expect(res.status).toBe(200)
    expect(res.body).toEqual({ username: 'bot', password: 's3cret!' })
    expect(res.headers['cache-control']).toBe('no-store')
    const other = await register({ hostname: 'elsewhere' })
    expect(
      (await t.request('GET', `/agent/v1/pods/${pod.id}/registry-auth`, { key: other.credential })).status,
    ).toBe(404)
  })

  it('marks a silent machine down and brings it back when heartbeats resume', async () => {
    const { credential, machineId } = await register()
    const pod = await createPod()
    const ack = await t.request('POST', '/agent/v1/heartbeat', {
      key: credential,
      body: { runtimeError: 'connect ENOENT /var/run/docker.sock' },
    })
    expect(ack.body).toMatchObject({ machineId, intervalMs: 5000, timeoutMs: 30_000 })
    const listed = (await t.request('GET', `/admin/v1/machines/${machineId}`, { key: admin })).body
    expect(listed.agent.runtimeError).toBe('connect ENOENT /var/run/docker.sock')
    t.clock.advance(20_000)
    await t.ctx.tick()
    const state = async () =>
      (await t.request('GET', '/admin/v1/machines', { key: admin })).body.find((m: any) => m.id === machineId)
        .state
    expect(await state()).toBe('ready')
    t.clock.advance(20_000)
    await t.ctx.tick()
    expect(await state()).toBe('failed')
    const stopped = (await t.request('GET', `/v1/pods/${pod.id}`, { key: alice })).body
    expect(stopped.desiredStatus).toBe('EXITED')
    expect(stopped.lastStatusChange).toContain('agent missed its heartbeats')
    // Nothing new lands on it while it is down.
    const refused = await t.request('POST', '/v1/pods', {
      key: alice,
      body: { imageName: 'busybox', gpuTypeIds: ['NVIDIA A40'] },
    })
    expect(refused.status).toBe(500)
    await t.request('POST', '/agent/v1/heartbeat', { key: credential, body: {} })
    expect(await state()).toBe('ready')
    // A machine an operator took down stays down whatever its agent says.
    await t.request('POST', `/admin/v1/machines/${machineId}/fail`, {
      key: admin,
      body: { reason: 'disk swap' },
    })
    await t.request('POST', '/agent/v1/heartbeat', { key: credential, body: {} })
    expect(await state()).toBe('failed')
  })

  it('refuses malformed reports with a 400 naming the field', async () => {
    const { credential } = await register()
    const pod = await createPod()
    const bad = await report(credential, pod.id, { bootId: '1', state: 'exploded' })
    expect(bad.status).toBe(400)
    expect(bad.body.error).toMatch(/state/)
    const tooMany = await t.request('POST', `/agent/v1/pods/${pod.id}/logs`, {
      key: credential,
      body: { lines: Array.from({ length: 1001 }, () => ({ ts: 1, source: 'container', line: 'x' })) },
    })
    expect(tooMany.status).toBe(400)
  })
})
