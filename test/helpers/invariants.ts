import type { Kysely } from 'kysely'
import { expect } from 'vitest'
import type { Database } from '../../src/store/schema.js'

/** Every machine's used counters equal the sum of its allocations, and never exceed capacity. */
export async function expectAllocationsConsistent(db: Kysely<Database>): Promise<void> {
  const machines = await db.selectFrom('machines').selectAll().execute()
  const allocations = await db.selectFrom('allocations').selectAll().execute()
  for (const m of machines) {
    const mine = allocations.filter((a) => a.machine_id === m.id)
    const sum = (k: 'gpu_count' | 'vcpu_count' | 'memory_gb' | 'disk_gb') =>
      mine.reduce((s, a) => s + a[k], 0)
    expect({
      id: m.id,
      gpu: m.gpu_used,
      vcpu: m.vcpu_used,
      memory: m.memory_used,
      disk: m.disk_used,
    }).toEqual({
      id: m.id,
      gpu: sum('gpu_count'),
      vcpu: sum('vcpu_count'),
      memory: sum('memory_gb'),
      disk: sum('disk_gb'),
    })
    expect(m.gpu_used).toBeLessThanOrEqual(m.gpu_count)
    expect(m.vcpu_used).toBeLessThanOrEqual(m.vcpu_count)
    expect(m.memory_used).toBeLessThanOrEqual(m.memory_gb)
    expect(m.disk_used).toBeLessThanOrEqual(m.disk_gb)
  }
}
