import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { LostRace } from '../../../src/domain/pod-writes.js'
import { createTestApp, type TestApp } from '../../helpers/app.js'
import { expectAllocationsConsistent } from '../../helpers/invariants.js'
import { machine } from '../../helpers/machines.js'

const BOOT = 2000
const GPU_TYPE = 'NVIDIA GeForce RTX 4090'

/** Two 4-GPU hosts in US-TX-3 and one in EU-RO-1: 8 GPUs in one data center at most. */
describe('v2 clusters', () => {
  let t: TestApp
  let key: string
  beforeEach(async () => {
    t = await createTestApp({
      machines: [
        machine({ id: 'tx-a', gpu_count: 4 }),
        machine({ id: 'tx-b', gpu_count: 4 }),
        machine({ id: 'ro-a', gpu_count: 4, data_center_id: 'EU-RO-1' }),
      ],
      bootMs: BOOT,
    })
    key = await t.key('alice')
  })
  afterEach(async () => {
    await expectAllocationsConsistent(t.db)
    await t.close()
  })

  const body = (overrides: Record<string, unknown> = {}) => ({
    name: 'train',
    type: 'TRAINING',
    image: 'img',
    ports: ['22/tcp', '8888/http'],
    compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 2, podCount: 4 },
    ...overrides,
  })
  const create = async (overrides: Record<string, unknown> = {}, as = key) => {
    const res = await t.request('POST', '/v2/clusters', { key: as, body: body(overrides) })
    expect(res.status, JSON.stringify(res.body)).toBe(201)
    return res.body
  }
  const members = async (id: string, as = key) => {
    const res = await t.request('GET', `/v2/clusters/${id}/pods`, { key: as })
    expect(res.status, JSON.stringify(res.body)).toBe(200)
    return res.body.pods as any[]
  }
  const gpusUsed = async () =>
    (await t.db.selectFrom('machines').select(['id', 'gpu_used']).orderBy('id').execute()).map(
      (m) => `${m.id}:${m.gpu_used}`,
    )

  it('creates every member in one data center; they boot to RUNNING with ranks, IPs and a primary', async () => {
    const cluster = await create()
    expect(cluster).toMatchObject({
      name: 'train',
      type: 'TRAINING',
      compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 2, podCount: 4 },
      dataCenterId: 'US-TX-3',
      pods: { total: 4, byStatus: { PROVISIONING: 4 } },
      network: { cidr: '10.65.0.0/16', vxlanPort: 4789 },
      primary: { status: 'PROVISIONING' },
      createdAt: new Date(t.clock.now()).toISOString(),
    })
    expect(cluster.network.vxlanId).toBeGreaterThan(0)
    expect(cluster.primary.sshEndpoint).toBeUndefined()
    expect(cluster.template).toBeUndefined()
    expect(await gpusUsed()).toEqual(['ro-a:0', 'tx-a:4', 'tx-b:4'])

    const pods = await members(cluster.id)
    expect(pods.map((p) => p.cluster)).toEqual(
      [0, 1, 2, 3].map((rank) => ({
        id: cluster.id,
        rank,
        ip: `10.65.0.${2 + rank}`,
      })),
    )
    expect(pods[0].id).toBe(cluster.primary.podId)
    for (const [rank, pod] of pods.entries()) {
      expect(pod).toMatchObject({
        name: `train-${rank}`,
        image: 'img',
        gpu: { id: GPU_TYPE, count: 2 },
        cloud: 'SECURE',
        dataCenterId: 'US-TX-3',
        env: { NODE_RANK: String(rank), NUM_NODES: '4', PRIMARY_ADDR: '10.65.0.2', WORLD_SIZE: '8' },
      })
      expect(pod.cluster.role).toBeUndefined()
    }

    t.clock.advance(BOOT)
    const running = (await t.request('GET', `/v2/clusters/${cluster.id}`, { key })).body
    expect(running.pods).toEqual({ total: 4, byStatus: { RUNNING: 4 } })
    const head = (await members(cluster.id))[0]
    const ssh = head.runtime.ports.find((p: any) => p.private === 22)
    expect(running.primary).toEqual({
      podId: head.id,
      status: 'RUNNING',
      sshEndpoint: `${ssh.ip}:${ssh.public}`,
    })
  })

  it('gives SLURM and RAY members their roles, rank 0 leading', async () => {
    const slurm = await create({
      type: 'SLURM',
      compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 1, podCount: 3 },
    })
    expect((await members(slurm.id)).map((p) => p.cluster.role)).toEqual([
      'SLURM_CONTROLLER',
      'SLURM_COMPUTE',
      'SLURM_COMPUTE',
    ])
    const ray = await create({
      type: 'RAY',
      compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 1, podCount: 2 },
    })
    expect((await members(ray.id)).map((p) => p.cluster.role)).toEqual(['RAY_HEAD', 'RAY_WORKER'])
    expect(ray.network.vxlanId).not.toBe(slurm.network.vxlanId)
  })

  it('honours dataCenterIds and puts several members on one machine when it has room', async () => {
    const cluster = await create({
      dataCenterIds: ['EU-RO-1'],
      compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 2, podCount: 2 },
    })
    expect(cluster.dataCenterId).toBe('EU-RO-1')
    expect(await gpusUsed()).toEqual(['ro-a:4', 'tx-a:0', 'tx-b:0'])
  })

  it('places all or nothing: no data center with room for every member leaves nothing behind', async () => {
    // 12 GPUs exist, but no data center has more than 8.
    const short = await t.request('POST', '/v2/clusters', {
      key,
      body: body({ compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 4, podCount: 3 } }),
    })
    expect(short.status).toBe(400)
    expect(short.body.detail).toMatch(/no data center .* room for all 3 pods/)
    const pinned = await t.request('POST', '/v2/clusters', {
      key,
      body: body({
        dataCenterIds: ['EU-RO-1'],
        compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 2, podCount: 3 },
      }),
    })
    expect(pinned.status).toBe(400)
    expect(await gpusUsed()).toEqual(['ro-a:0', 'tx-a:0', 'tx-b:0'])
    expect(await t.db.selectFrom('pods').select('id').execute()).toEqual([])
    expect(await t.db.selectFrom('clusters').select('id').execute()).toEqual([])
    expect(await t.db.selectFrom('cluster_members').select('pod_id').execute()).toEqual([])
    await expectAllocationsConsistent(t.db)

    // Capacity taken by a pod counts too; the cluster then fits only where room is left.
    const pod = await t.request('POST', '/v2/pods', {
      key,
      body: { name: 'p', image: 'i', gpu: { id: GPU_TYPE, count: 4 }, dataCenterIds: ['US-TX-3'] },
    })
    expect(pod.status).toBe(201)
    const full = await t.request('POST', '/v2/clusters', { key, body: body() })
    expect(full.status).toBe(400)
    const fits = await create({ compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 2, podCount: 2 } })
    expect(fits.pods.total).toBe(2)
    expect(await t.db.selectFrom('pods').select('id').execute()).toHaveLength(3)
  })

  it('commits members together: a failure after some are placed leaves no pod, claim or usage behind', async () => {
    const req = { imageName: 'img', computeType: 'GPU', gpuTypeIds: [GPU_TYPE], gpuCount: 2 } as const
    const failing = t.ctx.pods.createGang('alice', req, 4, async (_tx, pods) => {
      expect(pods).toHaveLength(4)
      throw new Error('boom')
    })
    await expect(failing).rejects.toThrow('boom')
    expect(await gpusUsed()).toEqual(['ro-a:0', 'tx-a:0', 'tx-b:0'])
    expect(await t.db.selectFrom('pods').select('id').execute()).toEqual([])
    expect(await t.db.selectFrom('allocations').select('pod_id').execute()).toEqual([])
    expect(await t.db.selectFrom('usage_intervals').select('id').execute()).toEqual([])
    await expectAllocationsConsistent(t.db)

    // A lost race rolls the whole gang back and places it again; the fleet in memory agrees.
    let attempts = 0
    const placed = await t.ctx.pods.createGang('alice', req, 4, async (_tx, pods) => {
      attempts += 1
      if (attempts === 1) throw new LostRace()
      return pods.map((p) => p.id)
    })
    expect(attempts).toBe(2)
    expect(placed).toHaveLength(4)
    expect(await t.db.selectFrom('pods').select('id').execute()).toHaveLength(4)
    expect(await gpusUsed()).toEqual(['ro-a:0', 'tx-a:4', 'tx-b:4'])
    const full = await t.request('POST', '/v2/clusters', {
      key,
      body: body({ compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 2, podCount: 3 } }),
    })
    expect(full.status).toBe(400)
  })

  it('gives racing creates for the same room one cluster, and the other a clean 400', async () => {
    const big = body({ compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 4, podCount: 2 } })
    const results = await Promise.all([
      t.request('POST', '/v2/clusters', { key, body: big }),
      t.request('POST', '/v2/clusters', { key, body: { ...big, name: 'other' } }),
    ])
    expect(results.map((r) => r.status).sort()).toEqual([201, 400])
    expect(await gpusUsed()).toEqual(['ro-a:0', 'tx-a:4', 'tx-b:4'])
    expect(await t.db.selectFrom('pods').select('id').execute()).toHaveLength(2)
    expect(await t.db.selectFrom('clusters').select('id').execute()).toHaveLength(1)
  })

  it('moves a drained member only within its cluster’s data center, and stops it when that is full', async () => {
    const small = await create({
      dataCenterIds: ['US-TX-3'],
      compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 1, podCount: 2 },
    })
    const [first] = await members(small.id)
    const from = (
      await t.db.selectFrom('pods').select('machine_id').where('id', '=', first.id).executeTakeFirstOrThrow()
    ).machine_id
    const drained = await t.ctx.fleet.drain(from, { move: true })
    expect(drained.moved).toHaveLength(2)
    const hosts = await t.db.selectFrom('pods').select(['machine_id', 'data_center_id']).execute()
    expect(hosts.every((h) => h.machine_id !== from && h.data_center_id === 'US-TX-3')).toBe(true)

    // With the first machine still cordoned, TX has no room left; RO has, but members stay home.
    const again = await t.ctx.fleet.drain(hosts[0]!.machine_id, { move: true })
    expect(again.moved).toEqual([])
    expect(again.stopped).toHaveLength(2)
    expect(await gpusUsed()).toEqual(['ro-a:0', 'tx-a:0', 'tx-b:0'])
  })

  it('hides members from GET /v2/pods unless includeClusterPods=true; v1 lists them like any pod', async () => {
    const cluster = await create({ compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 1, podCount: 2 } })
    const solo = await t.request('POST', '/v2/pods', {
      key,
      body: { name: 'solo', image: 'i', gpu: { id: GPU_TYPE, count: 1 } },
    })
    const plain = await t.request('GET', '/v2/pods', { key })
    expect(plain.body.pods.map((p: any) => p.id)).toEqual([solo.body.id])
    expect(plain.body.pods[0].cluster).toBeUndefined()
    const all = await t.request('GET', '/v2/pods?includeClusterPods=true', { key })
    expect(all.body.pods).toHaveLength(3)
    expect(all.body.pods.filter((p: any) => p.cluster?.id === cluster.id)).toHaveLength(2)
    const member = (await members(cluster.id))[1]
    expect((await t.request('GET', `/v2/pods/${member.id}`, { key })).body.cluster).toEqual({
      id: cluster.id,
      rank: 1,
      ip: '10.65.0.3',
    })
    const v1 = await t.request('GET', '/v1/pods', { key })
    expect(v1.body).toHaveLength(3)
    // v1 knows no clusters: its DELETE ends one member, and the cluster counts one pod fewer.
    expect((await t.request('DELETE', `/v1/pods/${member.id}`, { key })).status).toBe(204)
    const after = (await t.request('GET', `/v2/clusters/${cluster.id}`, { key })).body
    expect(after.pods).toEqual({ total: 1, byStatus: { PROVISIONING: 1 } })
    expect((await members(cluster.id)).map((p) => p.cluster.rank)).toEqual([0])
  })

  it('lists, renames and deletes clusters; deleting terminates every member and frees the GPUs', async () => {
    const a = await create({ name: 'a', compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 1, podCount: 2 } })
    t.clock.advance(1000)
    const b = await create({ name: 'b', compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 1, podCount: 2 } })
    const list = await t.request('GET', '/v2/clusters', { key })
    expect(list.status).toBe(200)
    expect(list.body.clusters.map((c: any) => c.name)).toEqual(['b', 'a'])

    const renamed = await t.request('PATCH', `/v2/clusters/${a.id}`, { key, body: { name: 'a2' } })
    expect(renamed.status).toBe(200)
    expect(renamed.body).toMatchObject({ id: a.id, name: 'a2', pods: { total: 2 } })
    expect((await t.request('GET', `/v2/clusters/${a.id}`, { key })).body.name).toBe('a2')

    const podIds = (await members(a.id)).map((p) => p.id)
    const deleted = await t.request('DELETE', `/v2/clusters/${a.id}`, { key })
    expect(deleted.status).toBe(204)
    expect((await t.request('GET', `/v2/clusters/${a.id}`, { key })).status).toBe(404)
    expect((await t.request('GET', `/v2/clusters/${a.id}/pods`, { key })).status).toBe(404)
    expect((await t.request('DELETE', `/v2/clusters/${a.id}`, { key })).status).toBe(404)
    for (const id of podIds) expect((await t.request('GET', `/v2/pods/${id}`, { key })).status).toBe(404)
    const left = await t.request('GET', '/v2/clusters', { key })
    expect(left.body.clusters.map((c: any) => c.id)).toEqual([b.id])
    const used = await t.db
      .selectFrom('machines')
      .select((eb) => eb.fn.sum<number>('gpu_used').as('n'))
      .executeTakeFirst()
    expect(Number(used?.n)).toBe(2)
  })

  it('keeps start, stop and restart on a single member, and refuses to change or delete one as a pod', async () => {
    const cluster = await create({ compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 1, podCount: 2 } })
    t.clock.advance(BOOT)
    const [, worker] = await members(cluster.id)
    const act = (action: string) =>
      t.request('POST', `/v2/pods/${worker.id}/action`, { key, body: { action } })
    const stopped = await act('stop')
    expect(stopped.status).toBe(200)
    expect(stopped.body).toMatchObject({ status: 'EXITED', cluster: { id: cluster.id, rank: 1 } })
    expect((await t.request('GET', `/v2/clusters/${cluster.id}`, { key })).body.pods).toEqual({
      total: 2,
      byStatus: { RUNNING: 1, EXITED: 1 },
    })
    expect((await act('start')).status).toBe(200)
    t.clock.advance(BOOT)
    expect((await act('restart')).status).toBe(200)

    const terminate = await act('terminate')
    expect(terminate.status).toBe(409)
    expect(terminate.body.detail).toMatch(new RegExp(`/v2/clusters/${cluster.id}`))
    expect((await t.request('DELETE', `/v2/pods/${worker.id}`, { key })).status).toBe(409)
    expect((await t.request('PATCH', `/v2/pods/${worker.id}`, { key, body: { name: 'x' } })).status).toBe(409)
    expect((await t.request('GET', `/v2/pods/${worker.id}`, { key })).body.status).toBe('STARTING')
  })

  it('bills each cluster its members’ pod spend, a deleted cluster included', async () => {
    const a = await create({ compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 1, podCount: 2 } })
    const b = await create({ compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 2, podCount: 2 } })
    const solo = await t.request('POST', '/v2/pods', {
      key,
      body: { name: 'solo', image: 'i', gpu: { id: GPU_TYPE, count: 1 } },
    })
    expect(solo.status).toBe(201)
    const podsOfA = (await members(a.id)).map((p) => p.id)
    t.clock.advance(2 * 3_600_000)
    expect((await t.request('DELETE', `/v2/clusters/${a.id}`, { key })).status).toBe(204)
    t.clock.advance(3_600_000)

    const res = await t.request('GET', '/v2/billing/clusters?lastN=1&bucketSize=day', { key })
    expect(res.status).toBe(200)
    const byId = new Map(res.body.records.map((r: any) => [r.clusterId, r]))
    expect([...byId.keys()].sort()).toEqual([a.id, b.id].sort())
    const ra: any = byId.get(a.id)
    const rb: any = byId.get(b.id)
    // 2 pods × 1 RTX 4090 × 2 h, and 2 pods × 2 GPUs × 3 h, at the secure price.
    expect(ra.gpuAmount).toBeCloseTo(2 * 0.69 * 2, 6)
    expect(rb.gpuAmount).toBeCloseTo(4 * 0.69 * 3, 6)
    expect(ra.networkingAmount).toBe(0)
    expect(ra.diskAmount).toBeGreaterThan(0)
    expect(ra.totalAmount).toBeCloseTo(ra.gpuAmount + ra.diskAmount, 9)
    expect(res.body.metadata).toMatchObject({
      recordCount: 2,
      uniqueClusterCount: 2,
      query: { clusterId: null },
    })

    // The same spend as the members' pod billing.
    const pods = await t.request('GET', '/v2/billing/pods?lastN=1&bucketSize=day', { key })
    const memberSpend = pods.body.records
      .filter((r: any) => podsOfA.includes(r.podId))
      .reduce((sum: number, r: any) => sum + r.totalAmount, 0)
    expect(ra.totalAmount).toBeCloseTo(memberSpend, 9)

    const one = await t.request('GET', `/v2/billing/clusters?lastN=1&bucketSize=day&clusterId=${b.id}`, {
      key,
    })
    expect(one.body.records.map((r: any) => r.clusterId)).toEqual([b.id])
    expect(one.body.metadata.query.clusterId).toBe(b.id)
    const bob = await t.key('bob')
    const theirs = await t.request('GET', `/v2/billing/clusters?lastN=1&clusterId=${b.id}`, { key: bob })
    expect(theirs.body.records).toEqual([])
  })

  it("hides another user's cluster behind a 404 everywhere", async () => {
    const cluster = await create({ compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 1, podCount: 2 } })
    const bob = await t.key('bob')
    expect((await t.request('GET', '/v2/clusters', { key: bob })).body.clusters).toEqual([])
    expect((await t.request('GET', `/v2/clusters/${cluster.id}`, { key: bob })).status).toBe(404)
    expect((await t.request('GET', `/v2/clusters/${cluster.id}/pods`, { key: bob })).status).toBe(404)
    const rename = await t.request('PATCH', `/v2/clusters/${cluster.id}`, { key: bob, body: { name: 'x' } })
    expect(rename.status).toBe(404)
    expect((await t.request('DELETE', `/v2/clusters/${cluster.id}`, { key: bob })).status).toBe(404)
    const pods = await t.request('GET', '/v2/pods?includeClusterPods=true', { key: bob })
    expect(pods.body.pods).toEqual([])
    expect((await t.request('GET', `/v2/clusters/${cluster.id}`, { key })).body.name).toBe('train')
    expect((await members(cluster.id)).every((p) => p.status !== 'TERMINATED')).toBe(true)
  })

  it('answers contract violations with 422, rule violations with 400, unknown ids with 404 and methods with 405', async () => {
    const post = (b: unknown) => t.request('POST', '/v2/clusters', { key, body: b })
    const unknown = await post({ ...body(), registry: 'r', compute: { ...body().compute, colour: 1 } })
    expect(unknown.status).toBe(422)
    expect(unknown.body.errors).toEqual(
      expect.arrayContaining([
        "$: additional properties 'registry' not allowed",
        "$.compute: additional properties 'colour' not allowed",
      ]),
    )
    const shape = await post({
      ...body(),
      type: 'MPI',
      compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 0, podCount: 1 },
    })
    expect(shape.status).toBe(422)
    expect(shape.body.errors.join('\n')).toMatch(/\$\.type: must be one of APPLICATION, TRAINING, SLURM, RAY/)
    expect(shape.body.errors.join('\n')).toMatch(/\$\.compute\.gpuCountPerPod: must be >= 1/)
    expect(shape.body.errors.join('\n')).toMatch(/\$\.compute\.podCount: must be >= 2/)
    const tooMany = await post(body({ compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 1, podCount: 251 } }))
    expect(tooMany.status).toBe(422)
    const missing = await post({ name: 'x', image: 'i' })
    expect(missing.status).toBe(422)
    expect(missing.body.errors).toEqual(
      expect.arrayContaining(["$: missing property 'type'", "$: missing property 'compute'"]),
    )

    const gpu = await post(body({ compute: { gpuTypeId: 'NVIDIA Z9000', gpuCountPerPod: 1, podCount: 2 } }))
    expect(gpu.status).toBe(400)
    expect(gpu.body.detail).toMatch(/compute\.gpuTypeId/)
    const wide = await post(body({ compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 8, podCount: 2 } }))
    expect(wide.status).toBe(400)
    expect(wide.body.detail).toMatch(/compute\.gpuCountPerPod: at most 4/)
    const noImage = await post(body({ image: undefined }))
    expect(noImage.status).toBe(400)
    expect(noImage.body.detail).toMatch(/^image/)
    const dc = await post(body({ dataCenterIds: ['XX-NO-1'] }))
    expect(dc.status).toBe(400)
    const mounts = await post(
      body({ mounts: { persistent: { size: 20, path: '/w' }, network: [{ volumeId: 'v', path: '/n' }] } }),
    )
    expect(mounts.status).toBe(400)
    const volume = await post(body({ mounts: { network: [{ volumeId: 'nope', path: '/n' }] } }))
    expect(volume.status).toBe(404)
    expect(await t.db.selectFrom('pods').select('id').execute()).toEqual([])

    const cluster = await create({ compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 1, podCount: 2 } })
    const patch = (b: unknown) => t.request('PATCH', `/v2/clusters/${cluster.id}`, { key, body: b })
    const empty = await patch({})
    expect(empty.status).toBe(422)
    expect(empty.body.errors.join('\n')).toMatch(/fewer than 1 properties/)
    const reshape = await patch({
      name: 'x',
      compute: { gpuTypeId: GPU_TYPE, gpuCountPerPod: 1, podCount: 3 },
    })
    expect(reshape.status).toBe(422)
    expect(reshape.body.errors).toContain("$: additional properties 'compute' not allowed")
    expect((await patch({ name: '' })).status).toBe(422)

    expect((await t.request('GET', '/v2/clusters/nope', { key })).status).toBe(404)
    expect((await t.request('PATCH', '/v2/clusters/nope', { key, body: { name: 'x' } })).status).toBe(404)
    expect((await t.request('DELETE', '/v2/clusters/nope', { key })).status).toBe(404)
    expect((await t.request('GET', '/v2/clusters/nope/pods', { key })).status).toBe(404)
    const put = await t.request('PUT', `/v2/clusters/${cluster.id}`, { key, body: { name: 'x' } })
    expect(put.status).toBe(405)
    expect(put.headers.allow).toBe('DELETE, GET, HEAD, PATCH')
    expect((await t.request('DELETE', '/v2/clusters', { key })).status).toBe(405)
    expect((await t.request('POST', `/v2/clusters/${cluster.id}/pods`, { key, body: {} })).status).toBe(405)
    expect((await t.request('GET', '/v2/clusters')).status).toBe(401)
  })
})
