import { sql } from 'kysely'
import { afterEach, describe, expect, it } from 'vitest'
import { runningUsage } from '../../src/domain/usage.js'
import { newPodId } from '../../src/ids.js'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { expectAllocationsConsistent } from '../helpers/invariants.js'
import { machine } from '../helpers/machines.js'

/**
 * On PostgreSQL the writes of one group commit leave their machine claims and new pod rows to the
 * end of the batch: one statement for every claim and every new pod, sent without BEGIN or COMMIT
 * when the writes sent nothing else. These tests submit creates together (one turn of the event
 * loop) and check the outcome a client would see.
 */
describe('creates batched together on PostgreSQL', () => {
  let t: TestApp
  let statements: string[] = []
  afterEach(async () => {
    await t.close()
  })

  const start = async (machines: ReturnType<typeof machine>[]) => {
    t = await createTestApp({ machines, onQuery: (text) => statements.push(text.toLowerCase()) })
    await t.store.fleet.ready()
    return t.key('alice')
  }
  const createTogether = (key: string, count: number, body: object) =>
    Promise.all(
      Array.from({ length: count }, (_, i) =>
        t.request('POST', '/v1/pods', { key, body: { name: `p${i}`, imageName: 'x', ...body } }),
      ),
    )
  /** Another replica's write: straight to the database, unseen by this app's fleet cache. */
  const elsewhere = (id: string, set: ReturnType<typeof sql>) =>
    sql`update machines set ${set} where id = ${id}`.execute(t.db)
  /** The batch's closing statement: every claim, then every new pod. */
  const CLAIMS_AND_PODS = /^with claimed as \(update machines as m.*new_pods as/s
  /** Every statement sent but reads. */
  const writes = () => statements.filter((s) => !s.startsWith('select'))
  const hostPorts = (pods: { portMappings: Record<string, number> }[]) =>
    pods.flatMap((p) => Object.values(p.portMappings))

  it('claims every machine and inserts every pod in one statement, alone, with ports apart', async () => {
    const key = await start([machine({ id: 'one', gpu_count: 8 }), machine({ id: 'two', gpu_count: 8 })])
    statements = []
    const created = await createTogether(key, 6, { gpuCount: 2, ports: ['8888/http', '22/tcp', '9000/tcp'] })
    expect(created.map((r) => r.status)).toEqual([201, 201, 201, 201, 201, 201])
    // Besides the turn's key lookup, the batch's one statement: no BEGIN, no COMMIT.
    expect(writes()).toEqual([expect.stringMatching(CLAIMS_AND_PODS)])

    const listed = (await t.request('GET', '/v1/pods', { key })).body as any[]
    expect(listed).toHaveLength(6)
    for (const id of ['one', 'two']) {
      const on = listed.filter((p) => p.machineId === id)
      const ports = hostPorts(on)
      expect(new Set(ports).size).toBe(ports.length)
      expect(ports).toHaveLength(on.length * 2)
    }
    const used = await t.db.selectFrom('machines').select(['id', 'gpu_used']).orderBy('id').execute()
    expect(used.reduce((sum, m) => sum + m.gpu_used, 0)).toBe(12)
    await expectAllocationsConsistent(t.db)
  })

  it('keeps BEGIN and COMMIT around a batch whose writes send statements of their own', async () => {
    await start([machine({ id: 'one', gpu_count: 8 })])
    const claim = { gpuCount: 1, vcpuCount: 8, memoryGb: 32, diskGb: 10 }
    statements = []
    // Submitted in one turn, so one batch: a new pod's claim waits for the end; the user's insert
    // is sent at once, which begins the transaction.
    const [claimed] = await Promise.all([
      t.store.batched((tx) => tx.machines.claim('one', claim, { newPod: { now: t.clock.now() } })),
      t.store.batched((tx) => tx.apiKeys.ensureUser('bob', t.clock.now())),
    ])
    expect(claimed).toBeDefined()
    const sent = writes()
    expect(sent[0]).toBe('begin')
    expect(sent.at(-2)).toMatch(/^with claimed as \(update machines as m/)
    expect(sent.at(-1)).toBe('commit')
    expect(sent).toHaveLength(4)
    const used = await t.db.selectFrom('machines').select('gpu_used').executeTakeFirstOrThrow()
    expect(used.gpu_used).toBe(1)
  })

  it('runs the batch again on the fleet read anew when another replica took the room meanwhile', async () => {
    const key = await start([machine({ id: 'only', gpu_count: 8 })])
    await elsewhere('only', sql`gpu_used = 7`)
    statements = []
    const created = await createTogether(key, 2, { gpuCount: 1 })
    // Refused once, then right: no need to fall back to a savepoint per write.
    expect(writes().filter((s) => s.startsWith('with claimed as'))).toHaveLength(2)
    expect(statements.filter((s) => s.includes('savepoint'))).toEqual([])
    expect(created.map((r) => r.status).sort()).toEqual([201, 500])
    const only = await t.db.selectFrom('machines').select('gpu_used').executeTakeFirstOrThrow()
    expect(only.gpu_used).toBe(8)
    // Only the pod that landed holds an allocation; the other left nothing behind.
    const held = await t.db.selectFrom('allocations').select('pod_id').execute()
    expect(held.map((a) => a.pod_id)).toEqual([created.find((r) => r.status === 201)!.body.id])
  })

  it('hands out host ports after those another replica took meanwhile', async () => {
    const key = await start([machine({ id: 'only', gpu_count: 8, next_port: 20000 })])
    // Another replica gave ports 20000–20099 to its pods; this app's fleet still says 20000.
    await elsewhere('only', sql`next_port = 20100`)
    statements = []
    const created = await createTogether(key, 3, { gpuCount: 1, ports: ['22/tcp'] })
    expect(created.map((r) => r.status)).toEqual([201, 201, 201])
    expect(statements.filter((s) => s.includes('savepoint'))).toEqual([])
    const listed = (await t.request('GET', '/v1/pods', { key })).body as any[]
    expect(hostPorts(listed).sort()).toEqual([20100, 20101, 20102])
  })

  it('fails only the write whose new pod the database refuses at the end of the batch', async () => {
    const key = await start([machine({ id: 'only', gpu_count: 8 })])
    const [created] = await createTogether(key, 1, { gpuCount: 1 })
    const pod = await t.ctx.pods.get('alice', created!.body.id)
    const claim = { gpuCount: 0, vcpuCount: 0, memoryGb: 0, diskGb: 0 }
    const insert = (id: string) =>
      t.store.batched(async (tx) => {
        const copy = { ...pod, id, name: `copy-${id}` }
        await tx.pods.insertNew(copy, claim, runningUsage(copy, `usage-${id}`, 0))
        return id
      })
    const [first, second] = [newPodId(), newPodId()]
    statements = []
    // The middle one repeats the existing pod's id: its insert fails, and only it.
    const outcomes = await Promise.allSettled([insert(first), insert(pod.id), insert(second)])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    // First all three in one statement, refused; then one at a time, each in its savepoint.
    expect(statements.filter((s) => s.startsWith('with new_pods'))).toHaveLength(4)
    const names = (await t.request('GET', '/v1/pods', { key })).body.map((p: { name: string }) => p.name)
    expect(names.sort()).toEqual([pod.name, `copy-${first}`, `copy-${second}`].sort())
  })

  it('lets a lone create claim as it goes, so another replica moving the machine every attempt cannot refuse it', async () => {
    await start([machine({ id: 'only', gpu_count: 8, next_port: 20000 })])
    const claim = { gpuCount: 1, vcpuCount: 8, memoryGb: 32, diskGb: 10 }
    // Another replica gives out ports on the machine just before this write claims, on every
    // attempt. A claim left to the batch's end would be refused on each one (a 500 to the user);
    // claimed at once, it takes its port after the other replica's.
    const claimed = await t.store.batched(async (tx) => {
      await elsewhere('only', sql`next_port = next_port + 10`)
      return tx.machines.claim('only', claim, { hostPorts: 1, newPod: { now: t.clock.now() } })
    })
    expect(claimed).toBeDefined()
    const row = await t.db
      .selectFrom('machines')
      .selectAll()
      .where('id', '=', 'only')
      .executeTakeFirstOrThrow()
    expect(row.gpu_used).toBe(1)
    expect(claimed!.firstHostPort).toBe(row.next_port - 1)
  })

  it('counts every claim of a batch on a machine the fleet cache read anew between them', async () => {
    await start([machine({ id: 'only', gpu_count: 8, next_port: 20000 })])
    const claim = { gpuCount: 1, vcpuCount: 8, memoryGb: 32, diskGb: 10 }
    const claimOnly = (reloadFirst: boolean) =>
      t.store.batched(async (tx) => {
        // A fleet refresh or another batch's catch-up landing mid-batch: the cache reads the
        // machine's committed row, which has none of this batch's claims yet.
        if (reloadFirst) await t.store.fleet.reload(['only'])
        return tx.machines.claim('only', claim, { hostPorts: 1, newPod: { now: t.clock.now() } })
      })
    const claimed = await Promise.all([claimOnly(false), claimOnly(true)])
    expect(claimed.map((c) => c?.firstHostPort)).toEqual([20000, 20001])
    const row = await t.db
      .selectFrom('machines')
      .selectAll()
      .where('id', '=', 'only')
      .executeTakeFirstOrThrow()
    expect({ gpus: row.gpu_used, next: row.next_port }).toEqual({ gpus: 2, next: 20002 })
  })
})
