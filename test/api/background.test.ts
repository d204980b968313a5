import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { AppContext } from '../../src/api/context.js'
import { createContext } from '../../src/context.js'
import { createTestApp, type TestApp } from '../helpers/app.js'
import { machine } from '../helpers/machines.js'

describe('background work across replicas', () => {
  let t: TestApp
  let replicas: AppContext[]
  beforeAll(async () => {
    t = await createTestApp({ machines: [machine({ gpu_count: 8, vcpu_count: 128, memory_gb: 1024 })] })
    await t.key('alice')
    replicas = await Promise.all(
      ['replica-a', 'replica-b', 'replica-c'].map((replicaId) =>
        createContext(t.store, { simBootMs: 0, secret: 'test-secret', replicaId }, t.clock),
      ),
    )
  })
  afterAll(() => t.close())

  it('gives the simulator lease to one replica until it lapses', async () => {
    const [a, b] = replicas
    expect(await t.store.leases.acquire('simulator', a!.replicaId, 15_000, t.clock.now())).toBe(true)
    expect(await t.store.leases.acquire('simulator', b!.replicaId, 15_000, t.clock.now())).toBe(false)
    expect(await t.store.leases.acquire('simulator', a!.replicaId, 15_000, t.clock.now())).toBe(true) // renewal
    t.clock.advance(15_001)
    expect(await t.store.leases.acquire('simulator', b!.replicaId, 15_000, t.clock.now())).toBe(true)
    expect(await t.store.leases.acquire('simulator', a!.replicaId, 15_000, t.clock.now())).toBe(false)
  })

  it('never starts an endpoint’s workers twice when replicas reconcile it at once', async () => {
    const endpoint = await replicas[0]!.endpoints.create('alice', {
      templateId: 'runpod-worker-vllm',
      workersMin: 0,
      workersMax: 8,
    })
    const raised = { ...endpoint, workersMin: 3 }
    await t.store.endpoints.update(raised)
    for (let round = 0; round < 3; round++) {
      await Promise.all(replicas.flatMap((r) => [r.endpoints.reconcile(raised), r.endpoints.reconcileAll()]))
    }
    const workers = await t.store.pods.list('alice', { endpointId: endpoint.id, includeWorkers: true })
    expect(workers).toHaveLength(3)
  })
})
