import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { PodplaneError, type V2 } from '../../src/client/index.js'
import { cpuMachine, machine } from '../helpers/machines.js'
import { rejection, type ServedApp, serveTestApp } from './server.js'

const RTX_4090 = 'NVIDIA GeForce RTX 4090'
const SSH_KEY =
  'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAILXGDN/SclOozk1xsDztpmhGiKkkrfQB9SKoO8dSIQQZ me@example.com'
const ARN = 'arn:aws:ecr:us-east-2:418399314813:repository/runpod/deployment'

describe('the client on /v2, against a real server', () => {
  let s: ServedApp
  beforeEach(async () => {
    s = await serveTestApp({
      machines: [
        machine({ id: 'gpu-a', gpu_count: 8, cuda_version: '12.8' }),
        machine({ id: 'gpu-b', gpu_count: 8, cuda_version: '12.8' }),
        cpuMachine({ id: 'cpu-a' }),
      ],
    })
  })
  afterEach(() => s.close())

  const createPod = (name: string, extra: Partial<V2.CreatePodBody> = {}) =>
    s.client.v2.pods.create({ name, image: 'runpod/base:0.6.2', gpu: { id: RTX_4090, count: 1 }, ...extra })

  it('iterates every pod across pages, newest first, and reads single pages', async () => {
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      ids.push((await createPod(`p${i}`)).id)
      s.t.clock.advance(1000)
    }
    const requests: string[] = []
    const c = s.clientFor({ onResponse: (info) => requests.push(info.url) })
    const seen: string[] = []
    for await (const pod of c.v2.pods.list({ limit: 2 })) seen.push(pod.id)
    expect(seen).toEqual([...ids].reverse())
    expect(requests).toHaveLength(3)
    expect(requests[0]).toMatch(/\/v2\/pods\?limit=2$/)
    expect(requests[1]).toContain('cursor=')

    expect((await c.v2.pods.list().toArray()).map((p) => p.id)).toEqual([...ids].reverse())
    const first = await c.v2.pods.page({ limit: 3 })
    expect(first.pods).toHaveLength(3)
    expect(first.pagination.hasNextPage).toBe(true)
    const rest = await c.v2.pods.page({ limit: 3, cursor: first.pagination.nextCursor! })
    expect(rest).toMatchObject({ pagination: { nextCursor: null, hasNextPage: false } })
    expect(rest.pods.map((p) => p.id)).toEqual(ids.slice(0, 2).reverse())
  })

  it('creates, reads, changes, acts on, terminates and deletes pods', async () => {
    const c = s.client.v2
    const pod = await createPod('trainer', { ports: ['22/tcp'] })
    expect(pod).toMatchObject({ name: 'trainer', status: 'RUNNING', gpu: { id: RTX_4090, count: 1 } })
    expect(await c.pods.get(pod.id)).toMatchObject({ id: pod.id, actions: expect.arrayContaining(['stop']) })
    expect(await c.pods.update(pod.id, { name: 'renamed' })).toMatchObject({ name: 'renamed' })
    expect((await c.pods.stop(pod.id)).status).toBe('EXITED')
    expect((await c.pods.action(pod.id, 'start')).status).toBe('RUNNING')
    expect((await c.pods.restart(pod.id)).status).toBe('RUNNING')
    await expect(c.pods.terminate(pod.id)).resolves.toBeUndefined()
    expect(await rejection(c.pods.get(pod.id))).toMatchObject({ status: 404 })

    const other = await createPod('other')
    await c.pods.delete(other.id)
    expect(await rejection(c.pods.get(other.id))).toMatchObject({ status: 404 })
  })

  it('streams a pod’s logs as {id, ts, source, line}, ending with follow=false', async () => {
    const pod = await createPod('logs')
    const lines: V2.LogEvent[] = []
    for await (const event of s.client.v2.pods.logs(pod.id, { follow: false })) lines.push(event)
    expect(lines.map((l) => l.line)).toEqual(
      expect.arrayContaining([
        `Pod ${pod.id} scheduled on machine ${lines[0]?.line.split(' ')[5]} in US-TX-3`,
      ]),
    )
    expect(lines.map((l) => l.line)).toContain('== CUDA ==')
    for (const l of lines) {
      expect(l).toEqual({
        id: expect.stringMatching(/^\S+\/\d{12}$/),
        ts: expect.any(String),
        source: expect.any(String),
        line: expect.any(String),
      })
    }

    const system: V2.LogEvent[] = []
    for await (const e of s.client.v2.pods.logs(pod.id, { follow: false, source: 'system', tail: 2 }))
      system.push(e)
    expect(system).toHaveLength(2)
    expect(system.every((e) => e.source === 'system')).toBe(true)

    const resumed: V2.LogEvent[] = []
    const from = lines.at(-3)!.id
    for await (const e of s.client.v2.pods.logs(pod.id, { follow: false, lastEventId: from })) resumed.push(e)
    expect(resumed.map((e) => e.id)).toEqual(lines.slice(-2).map((e) => e.id))
  })

  it('stops a following log stream when the loop ends or the signal aborts', async () => {
    const pod = await createPod('follow')
    const taken: string[] = []
    for await (const e of s.client.v2.pods.logs(pod.id, { tail: 3 })) {
      taken.push(e.line)
      if (taken.length === 2) break
    }
    expect(taken).toHaveLength(2)

    const controller = new AbortController()
    const read = async () => {
      for await (const _ of s.client.v2.pods.logs(pod.id, { tail: 1, signal: controller.signal })) {
        controller.abort(new Error('enough'))
      }
    }
    await expect(read()).rejects.toThrow('enough')
  })

  it('types v2 problems: 404 with detail, 422 with errors[], and the request id', async () => {
    const missing = await rejection(s.client.v2.pods.get('nope'))
    expect(missing).toBeInstanceOf(PodplaneError)
    expect(missing).toMatchObject({ status: 404, title: 'Not Found', errors: [] })
    expect((missing as PodplaneError).message).toMatch(/not found/i)
    expect((missing as PodplaneError).requestId).toMatch(/\S/)
    expect((missing as PodplaneError).body).toMatchObject({ status: 404, title: 'Not Found' })

    const invalid = await rejection(
      s.client.v2.pods.create({
        name: 'x',
        image: 'y',
        gpu: { id: RTX_4090, count: 0 },
        color: 'red',
      } as never),
    )
    expect(invalid).toMatchObject({ status: 422, message: 'Request validation failed.' })
    expect((invalid as PodplaneError).errors).toEqual(
      expect.arrayContaining([
        expect.stringContaining('$.gpu.count'),
        "$: additional properties 'color' not allowed",
      ]),
    )

    const sent = await rejection(s.client.v2.pods.get('nope', { headers: { 'x-request-id': 'trace-42' } }))
    expect(sent).toMatchObject({ requestId: 'trace-42' })
  })

  it('manages serverless endpoints with their workers and releases', async () => {
    const c = s.client.v2
    const endpoint = await c.serverless.create({
      name: 'inference',
      type: 'QUEUE',
      scaling: { type: 'QUEUE_DELAY', queueDelay: 4 },
      image: 'me/worker:1',
      gpu: { pools: ['ADA_24'] },
      workers: { min: 1, max: 2 },
    })
    expect(endpoint).toMatchObject({ name: 'inference', type: 'QUEUE', workers: { min: 1, max: 2 } })
    expect((await c.serverless.list()).endpoints.map((e) => e.id)).toEqual([endpoint.id])
    expect(await c.serverless.get(endpoint.id)).toMatchObject({ id: endpoint.id })
    const workers = await c.serverless.workers(endpoint.id)
    expect(workers.summary.total).toBe(1)
    const updated = await c.serverless.update(endpoint.id, { image: 'me/worker:2' })
    expect(updated.image).toBe('me/worker:2')
    const releases = await c.serverless.releases(endpoint.id)
    expect(releases.releases.length).toBeGreaterThanOrEqual(1)

    const worker = (await c.serverless.workers(endpoint.id)).workers[0]!
    const lines: string[] = []
    for await (const e of c.serverless.workerLogs(endpoint.id, worker.id, { follow: false }))
      lines.push(e.line)
    expect(lines.length).toBeGreaterThan(0)

    await c.serverless.delete(endpoint.id)
    expect((await c.serverless.list()).endpoints).toEqual([])
  })

  it('manages templates, network volumes, registries with delegations, and SSH keys', async () => {
    const c = s.client.v2
    const template = await c.templates.create({ name: 'tpl', image: 'me/app:1', ports: ['8888/http'] })
    expect(template).toMatchObject({ name: 'tpl', image: 'me/app:1', serverless: false })
    expect((await c.templates.list()).templates.map((t) => t.id)).toContain(template.id)
    expect(await c.templates.get(template.id)).toEqual(template)
    expect((await c.templates.update(template.id, { image: 'me/app:2' })).image).toBe('me/app:2')
    expect((await c.templates.catalog({ source: 'official' })).templates.length).toBeGreaterThan(0)
    await c.templates.delete(template.id)

    const volume = await c.networkVolumes.create({ name: 'data', size: 100, dataCenter: 'EU-RO-1' })
    expect(volume).toMatchObject({ name: 'data', size: 100, dataCenter: 'EU-RO-1' })
    expect((await c.networkVolumes.list()).networkVolumes).toEqual([volume])
    expect(await c.networkVolumes.get(volume.id)).toEqual(volume)
    expect((await c.networkVolumes.update(volume.id, { size: 150 })).size).toBe(150)
    await c.networkVolumes.delete(volume.id)

    const registry = await c.registries.create({ name: 'hub', username: 'me', password: 'secret' })
    expect(registry).toEqual({ id: expect.any(String), name: 'hub' })
    expect((await c.registries.list()).registries).toEqual([registry])
    expect(await c.registries.get(registry.id)).toEqual(registry)
    await c.registries.delete(registry.id)
    // The same records as v1's container registry auths.
    expect(await s.client.v1.containerRegistryAuths.list()).toEqual([])

    const delegation = await c.registries.delegations.create({ resource: ARN, name: 'deploy' })
    expect(delegation).toMatchObject({
      name: 'deploy',
      awsRegion: 'us-east-2',
      repository: 'runpod/deployment',
    })
    expect((await c.registries.delegations.list()).delegations).toEqual([delegation])
    await c.registries.delegations.delete(delegation.id)

    expect(await c.account.sshKeys.get()).toEqual([])
    expect(await c.account.sshKeys.set([SSH_KEY])).toEqual([SSH_KEY])
    expect(await c.account.sshKeys.get()).toEqual([SSH_KEY])
  })

  it('creates, renames, lists the members of and deletes an Instant Cluster', async () => {
    const c = s.client.v2
    const cluster = await c.clusters.create({
      name: 'trainers',
      type: 'TRAINING',
      image: 'runpod/base:0.6.2',
      compute: { gpuTypeId: RTX_4090, gpuCountPerPod: 4, podCount: 2 },
    })
    expect(cluster).toMatchObject({ name: 'trainers', pods: { total: 2 } })
    expect((await c.clusters.list()).clusters.map((x) => x.id)).toEqual([cluster.id])
    expect(await c.clusters.rename(cluster.id, 'renamed')).toMatchObject({ id: cluster.id, name: 'renamed' })
    const members = await c.clusters.pods(cluster.id)
    expect(members.pods.map((p) => p.cluster?.rank)).toEqual([0, 1])
    // Two 8-GPU machines, four GPUs taken: no data center has room for three more 8-GPU members.
    const refused = await rejection(
      c.clusters.create({
        name: 'huge',
        type: 'TRAINING',
        image: 'runpod/base:0.6.2',
        compute: { gpuTypeId: RTX_4090, gpuCountPerPod: 8, podCount: 3 },
      }),
    )
    expect(refused).toMatchObject({ status: 400 })
    await c.clusters.delete(cluster.id)
    expect(await rejection(c.clusters.get(cluster.id))).toMatchObject({ status: 404 })
  })

  it('reads the catalog with its query parameters', async () => {
    const c = s.client.v2.catalog
    const gpus = await c.gpus()
    expect(gpus.gpus.some((g) => g.id === RTX_4090)).toBe(true)
    const stocked = await c.gpus({
      include: ['AVAILABILITY'],
      product: ['POD'],
      count: 2,
      countryCodes: ['US'],
    })
    expect(stocked.gpus.find((g) => g.id === RTX_4090)?.availability).toBeDefined()
    expect((await c.gpu(RTX_4090, { include: ['AVAILABILITY'], product: ['POD'] })).dataCenters).toBeDefined()
    expect(await rejection(c.gpus({ count: 2 }))).toMatchObject({ status: 400 })

    const cpus = await c.cpus({ include: ['AVAILABILITY'], product: ['POD'], vcpuCount: 4 })
    expect(cpus.cpus.length).toBeGreaterThan(0)
    expect((await c.cpu(cpus.cpus[0]!.id)).id).toBe(cpus.cpus[0]!.id)

    const all = await c.dataCenters()
    const european = await c.dataCenters({ regions: ['EUROPE'], include: ['GPU_AVAILABILITY'] })
    expect(european.dataCenters.length).toBeGreaterThan(0)
    expect(european.dataCenters.length).toBeLessThan(all.dataCenters.length)
    expect(european.dataCenters.every((d) => d.region === 'EUROPE')).toBe(true)
    // Arrays go out comma-separated, as RunPod's v2 takes them.
    const texas = await c.dataCenter('US-TX-3', { include: ['GPU_AVAILABILITY', 'CPU_AVAILABILITY'] })
    expect(texas.gpuAvailability).toBeDefined()
    expect(texas.cpuAvailability).toBeDefined()
  })

  it('reads every billing route', async () => {
    const c = s.client.v2.billing
    const pod = await createPod('billed')
    s.t.clock.advance(2 * 3_600_000)
    const summary = await c.summary({ bucketSize: 'hour', lastN: 3 })
    expect(summary.metadata).toMatchObject({ query: { bucketSize: 'hour' } })
    expect(summary.records.length).toBeGreaterThan(0)
    const pods = await c.pods({ podId: pod.id })
    expect(pods.records.every((r) => r.podId === pod.id)).toBe(true)
    expect(pods.records.length).toBeGreaterThan(0)
    expect(await c.serverless()).toHaveProperty('records')
    expect(await c.endpoints()).toHaveProperty('records')
    expect(await c.networkVolumes()).toHaveProperty('records')
    expect(await c.clusters()).toHaveProperty('records')
  })
})
