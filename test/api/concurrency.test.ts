import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { expectAllocationsConsistent } from '../helpers/invariants.js'
import { machine } from '../helpers/machines.js'

const H100 = 'NVIDIA H100 80GB HBM3'

describe('concurrent creates over real HTTP', () => {
  let t: TestApp
  let url: string
  beforeAll(async () => {
    t = await createTestApp({
      machines: [
        machine({ id: 'h100-a', gpu_type_id: H100, gpu_count: 4 }),
        machine({ id: 'h100-b', gpu_type_id: H100, gpu_count: 4, data_center_id: 'EU-RO-1' }),
        machine({ id: 'h100-c', gpu_type_id: H100, gpu_count: 2, secure_cloud: 0 }),
        machine({ id: 'other', gpu_type_id: 'NVIDIA A40', gpu_count: 8 }),
      ],
    })
    url = await t.app.listen({ host: '127.0.0.1', port: 0 })
  })
  afterAll(() => t.close())

  it('100 parallel creates for a GPU type with room for 10: exactly 10 succeed', async () => {
    const key = await t.key('alice')
    const responses = await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        fetch(`${url}/v1/pods`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `race-${i}`, imageName: 'x', gpuTypeIds: [H100], cloudType: 'ALL' }),
        }).then(async (r) => ({ status: r.status, body: await r.json() })),
      ),
    )
    const created = responses.filter((r) => r.status === 201)
    const refused = responses.filter((r) => r.status !== 201)
    expect(created).toHaveLength(10)
    expect(refused).toHaveLength(90)
    for (const r of refused) {
      expect(r).toEqual({
        status: 500,
        body: { error: 'create pod: There are no instances currently available', status: 500 },
      })
    }
    const machines = await t.db.selectFrom('machines').selectAll().where('gpu_type_id', '=', H100).execute()
    expect(machines.reduce((sum, m) => sum + m.gpu_used, 0)).toBe(10)
    const allocated = await t.db.selectFrom('allocations').selectAll().execute()
    expect(allocated.reduce((sum, a) => sum + a.gpu_count, 0)).toBe(10)
    expect(await t.db.selectFrom('pods').selectAll().execute()).toHaveLength(10)
    await expectAllocationsConsistent(t.db)
  })

  it('stops and starts of one pod racing each other leave it billed by exactly one open interval', async () => {
    const key = await t.key('bob')
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
    const created = await fetch(`${url}/v1/pods`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ imageName: 'x', gpuTypeIds: ['NVIDIA A40'] }),
    })
    const pod = (await created.json()) as { id: string }
    expect(created.status).toBe(201)
    // Sent together, these share batches and race for the pod's version (the losers are rolled
    // back and tried again); whatever won, the pod is billed by one open interval at the end, and
    // its intervals follow each other without gap or overlap.
    const statuses = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        fetch(`${url}/v1/pods/${pod.id}/${i % 2 === 0 ? 'stop' : 'start'}`, { method: 'POST', headers }).then(
          (r) => r.status,
        ),
      ),
    )
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0)
    for (const s of statuses) expect([200, 400, 409]).toContain(s)
    const final = (await (await fetch(`${url}/v1/pods/${pod.id}`, { headers })).json()) as {
      desiredStatus: string
    }
    const intervals = await t.db
      .selectFrom('usage_intervals')
      .select(['kind', 'started_at', 'ended_at'])
      .where('pod_id', '=', pod.id)
      .execute()
    const open = intervals.filter((i) => i.ended_at === null)
    const closed = intervals
      .filter((i) => i.ended_at !== null)
      .sort((a, b) => a.started_at - b.started_at || a.ended_at! - b.ended_at!)
    expect(open).toEqual([
      expect.objectContaining({ kind: final.desiredStatus === 'EXITED' ? 'pod_stopped' : 'pod_running' }),
    ])
    // Back to back: each interval ends where the next begins.
    const chain = [...closed, ...open]
    for (let i = 1; i < chain.length; i++) expect(chain[i]!.started_at).toBe(chain[i - 1]!.ended_at)
    await expectAllocationsConsistent(t.db)
  })
})
