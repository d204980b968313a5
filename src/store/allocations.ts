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

  async delete(podId: string): Promise<void> {
    await this.db.deleteFrom('allocations').where('pod_id', '=', podId).execute()
  }
}
