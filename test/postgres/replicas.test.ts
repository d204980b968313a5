import type { ChildProcess } from 'node:child_process'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { generateApiKey, hashApiKey } from '../../src/domain/api-keys.js'
import { catalogRows } from '../../src/fleet/seed.js'
import { openDatabase } from '../../src/store/database.js'
import { createStore, type Store } from '../../src/store/store.js'
import { exitOf, startServerProcess } from '../helpers/cli.js'
import { type ScratchDatabase, scratchPostgres } from '../helpers/databases.js'
import { expectAllocationsConsistent } from '../helpers/invariants.js'
import { machine } from '../helpers/machines.js'

const H100 = 'NVIDIA H100 80GB HBM3'

describe('two API replicas on one PostgreSQL', () => {
  let scratch: ScratchDatabase
  let store: Store
  let db: Awaited<ReturnType<typeof openDatabase>>['db']
  const servers: { url: string; child: ChildProcess }[] = []
  let key: string

  beforeAll(async () => {
    scratch = await scratchPostgres()
    const handle = await openDatabase(scratch.location)
    db = handle.db
    store = createStore(handle)
    await store.catalog.insertMissing(catalogRows())
    await store.machines.insertMany([
      machine({ id: 'h100-a', gpu_type_id: H100, gpu_count: 4 }),
      machine({ id: 'h100-b', gpu_type_id: H100, gpu_count: 4, data_center_id: 'EU-RO-1' }),
      machine({ id: 'h100-c', gpu_type_id: H100, gpu_count: 2, secure_cloud: 0 }),
      machine({ id: 'a40', gpu_type_id: 'NVIDIA A40', gpu_count: 8 }),
    ])
    key = generateApiKey()
    await store.apiKeys.ensureUser('alice', Date.now())
    await store.apiKeys.insert({
      id: 'k1',
      user_id: 'alice',
      name: 'test',
      key_hash: hashApiKey(key),
      key_prefix: 'rpa_',
      is_admin: 0,
      created_at: Date.now(),
      revoked_at: null,
    })
    const env = {
      PODPLANE_DB: scratch.location,
      PODPLANE_SECRET: 'shared',
      PODPLANE_SEED_MACHINES: '0',
      PODPLANE_SIM_BOOT_MS: '0',
    }
    servers.push(...(await Promise.all([startServerProcess(env), startServerProcess(env)])))
  }, 90_000)

  afterAll(async () => {
    for (const s of servers) s.child.kill('SIGTERM')
    await Promise.all(servers.map((s) => exitOf(s.child)))
    await store?.close()
    await scratch?.drop()
  })

  it('both replicas are ready on the shared store', async () => {
    for (const { url } of servers) {
      const res = await fetch(`${url}/readyz`)
      expect(res.status).toBe(200)
    }
  })

  it('200 concurrent creates across both replicas for a GPU type with room for 10: exactly 10 succeed', async () => {
    const responses = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        fetch(`${servers[i % 2]!.url}/v1/pods`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ name: `race-${i}`, imageName: 'x', gpuTypeIds: [H100], cloudType: 'ALL' }),
        }).then(async (r) => ({ status: r.status, body: (await r.json()) as any })),
      ),
    )
    const created = responses.filter((r) => r.status === 201)
    expect(created).toHaveLength(10)
    for (const r of responses.filter((r) => r.status !== 201)) {
      expect(r).toEqual({
        status: 500,
        body: { error: 'create pod: There are no instances currently available', status: 500 },
      })
    }
    const h100s = await db.selectFrom('machines').selectAll().where('gpu_type_id', '=', H100).execute()
    expect(h100s.reduce((sum, m) => sum + m.gpu_used, 0)).toBe(10)
    const allocations = await db.selectFrom('allocations').selectAll().execute()
    expect(allocations.reduce((sum, a) => sum + a.gpu_count, 0)).toBe(10)
    await expectAllocationsConsistent(db)
  })

  it('a pod created through one replica is seen and stopped through the other', async () => {
    const [a, b] = servers
    const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' }
    const pod: any = await (
      await fetch(`${a!.url}/v1/pods`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ imageName: 'x', gpuTypeIds: ['NVIDIA A40'] }),
      })
    ).json()
    const stopped = await fetch(`${b!.url}/v1/pods/${pod.id}/stop`, { method: 'POST', headers })
    expect(stopped.status).toBe(200)
    const seen: any = await (await fetch(`${a!.url}/v1/pods/${pod.id}`, { headers })).json()
    expect(seen.desiredStatus).toBe('EXITED')
  })
})
