import { CompiledQuery, type Kysely } from 'kysely'
import { inMaintenance } from '../../scheduler/place.js'
import { type BatchEnd, StaleAttempt } from '../batcher.js'
import type { FleetCache } from '../fleet-cache.js'
import type { ComputeClaim, MachineRow } from '../machines.js'
import type { Database } from '../schema.js'

// PostgreSQL: the machine claims of a batch of creates, judged on the fleet cache as they are made
// (`MachineRepository.claim`) and written together when the batch's writes have run, in one
// statement instead of one round trip each.

/** Whether the machine, as this row has it, can take `claim` (for a new pod: created at `newPodAt`). */
export function canTake(row: MachineRow, claim: ComputeClaim, newPodAt: number | undefined): boolean {
  if (row.failed_at !== null || row.removed_at !== null) return false
  if (newPodAt !== undefined) {
    if (row.cordoned === 1 || inMaintenance(row.maintenance_start, row.maintenance_end, newPodAt))
      return false
  }
  return (
    row.gpu_used + claim.gpuCount <= row.gpu_count &&
    row.vcpu_used + claim.vcpuCount <= row.vcpu_count &&
    row.memory_used + claim.memoryGb <= row.memory_gb &&
    row.disk_used + claim.diskGb <= row.disk_gb
  )
}

export const DEFERRED_CLAIMS = 'machines.claims'

/**
 * Every claim of a batch on one statement: per machine, what the batch adds, and the port counter
 * it found and leaves. The database applies each machine's total only if the machine still has
 * room for it, is still up (and open to new pods, if any are among the claims) and nobody moved
 * its ports meanwhile; a machine refused fails the whole attempt (`ClaimsRefused`), which runs
 * again once the fleet cache has read the machines it touched.
 */
const CLAIM_ALL = `update machines as m set
  gpu_used = m.gpu_used + c.gpus, vcpu_used = m.vcpu_used + c.vcpus,
  memory_used = m.memory_used + c.memory, disk_used = m.disk_used + c.disk, next_port = c.to_port
from unnest($1::text[], $2::int[], $3::int[], $4::int[], $5::int[], $6::int[], $7::int[], $8::bigint[])
  as c(id, gpus, vcpus, memory, disk, from_port, to_port, new_pod_at)
where m.id = c.id and m.failed_at is null and m.removed_at is null and m.next_port = c.from_port
  and (c.new_pod_at is null or (m.cordoned = 0 and (m.maintenance_start is null
    or m.maintenance_start > c.new_pod_at or (m.maintenance_end is not null and m.maintenance_end <= c.new_pod_at))))
  and m.gpu_used + c.gpus <= m.gpu_count and m.vcpu_used + c.vcpus <= m.vcpu_count
  and m.memory_used + c.memory <= m.memory_gb and m.disk_used + c.disk <= m.disk_gb
returning m.id, m.gpu_used, m.vcpu_used, m.memory_used, m.disk_used, m.next_port`

type ClaimedColumns = Pick<
  MachineRow,
  'id' | 'gpu_used' | 'vcpu_used' | 'memory_used' | 'disk_used' | 'next_port'
>

/** The database refused claims the fleet cache had allowed: the batch runs again (`StaleAttempt`). */
class ClaimsRefused extends StaleAttempt {
  constructor() {
    super('machines changed under the batch: claims refused')
  }
}

interface MachineClaims {
  /** The row before the batch's first claim on the machine, and after its latest. */
  readonly before: MachineRow
  after: MachineRow
  /** When the latest new pod among the claims was placed; null if none is new. */
  newPodAt: number | null
}

export class DeferredClaims implements BatchEnd {
  readonly #machines = new Map<string, MachineClaims>()

  constructor(private readonly cache: FleetCache) {}

  /** The machine as the batch's claims so far leave it; undefined if it has none there. */
  latest(machineId: string): MachineRow | undefined {
    return this.#machines.get(machineId)?.after
  }

  /**
   * One more claim on a machine: `before` is the machine as the claim found it, which for a
   * machine claimed already in this batch must be `latest(id)`; `after` as the claim leaves it.
   */
  add(before: MachineRow, after: MachineRow, newPodAt: number | undefined): void {
    const known = this.#machines.get(before.id)
    if (known) {
      known.after = after
      if (newPodAt !== undefined) known.newPodAt = newPodAt
    } else this.#machines.set(before.id, { before, after, newPodAt: newPodAt ?? null })
  }

  async finish(trx: Kysely<Database>): Promise<void> {
    if (this.#machines.size === 0) return
    // Sorted by id, so concurrent batches (other replicas') tend to lock machines in one order; a
    // deadlock PostgreSQL detects fails the batch, which then runs again claim by claim.
    const claims = [...this.#machines.values()].sort((a, b) => (a.before.id < b.before.id ? -1 : 1))
    this.#machines.clear()
    const column = (pick: (c: MachineClaims) => unknown) => claims.map(pick)
    const { rows } = await trx.executeQuery<ClaimedColumns>(
      CompiledQuery.raw(CLAIM_ALL, [
        column((c) => c.before.id),
        column((c) => c.after.gpu_used - c.before.gpu_used),
        column((c) => c.after.vcpu_used - c.before.vcpu_used),
        column((c) => c.after.memory_used - c.before.memory_used),
        column((c) => c.after.disk_used - c.before.disk_used),
        column((c) => c.before.next_port),
        column((c) => c.after.next_port),
        column((c) => c.newPodAt),
      ]),
    )
    // The claims change only the columns they return: cached rows take them (as the database has
    // them, with any other replica's claims), the rest stays as the batch found it.
    for (const changes of rows) this.cache.update(changes.id, changes)
    if (rows.length !== claims.length) throw new ClaimsRefused()
  }
}
