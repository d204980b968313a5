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
})
