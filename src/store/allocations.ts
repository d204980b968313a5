import type { Kysely, Selectable } from 'kysely'
import type { ComputeClaim } from './machines.js'
import type { AllocationsTable, Database } from './schema.js'

export type AllocationRow = Selectable<AllocationsTable>

export function toAllocationRow(podId: string, machineId: string, claim: ComputeClaim): AllocationRow {
  return {
    pod_id: podId,
    machine_id: machineId,
    gpu_count: claim.gpuCount,
    vcpu_count: claim.vcpuCount,
    memory_gb: claim.memoryGb,
    disk_gb: claim.diskGb,
  }
}

/** What each pod holds on its machine; machines' *_used columns are the sum of these. */
export class AllocationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(podId: string): Promise<AllocationRow | undefined> {
    return this.db.selectFrom('allocations').selectAll().where('pod_id', '=', podId).executeTakeFirst()
  }

  async put(podId: string, machineId: string, claim: ComputeClaim): Promise<void> {
    const row = toAllocationRow(podId, machineId, claim)
    await this.db
      .insertInto('allocations')
      .values(row)
      .onConflict((oc) => oc.column('pod_id').doUpdateSet(row))
      .execute()
  }

  /**
   * Sets what the pod holds on its machine besides disk (zero when it stops, its claim when it
   * starts), keeping the disk it holds; a pod holding nothing yet gets a row with no disk. One
   * statement: reading the disk first would be a second round trip on PostgreSQL.
   */
  async setCompute(podId: string, machineId: string, claim: Omit<ComputeClaim, 'diskGb'>): Promise<void> {
    const row = toAllocationRow(podId, machineId, { ...claim, diskGb: 0 })
    await this.db
      .insertInto('allocations')
      .values(row)
      .onConflict((oc) =>
        oc.column('pod_id').doUpdateSet({
          machine_id: row.machine_id,
          gpu_count: row.gpu_count,
          vcpu_count: row.vcpu_count,
          memory_gb: row.memory_gb,
        }),
      )
      .execute()
  }

  async delete(podId: string): Promise<void> {
    await this.db.deleteFrom('allocations').where('pod_id', '=', podId).execute()
  }
}
