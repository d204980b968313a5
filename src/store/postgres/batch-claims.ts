import { inMaintenance } from '../../scheduler/place.js'
import { StaleAttempt } from '../batcher.js'
import type { ComputeClaim, MachineRow } from '../machines.js'

// PostgreSQL: the machine claims of a batch of creates, judged on the fleet cache as they are made
// (`MachineRepository.claim`) and written at the batch's end (`PostgresBatchEnd`), all in one
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

/**
 * Every claim of a batch as one CTE, `claimed`: per machine, what the batch adds, and the port
 * counter it found and leaves ($1–$8). The database applies each machine's total only if the
 * machine still has room for it, is still up (and open to new pods, if any are among the claims)
 * and nobody moved its ports meanwhile. The statement it opens ends with `CLAIMS_CHECKED`.
 *
 * Each array goes through a sub-select so that PostgreSQL plans the statement once per connection:
 * given the arrays themselves it counts their elements, finds a plan for five machines cheaper
 * than its generic plan (which guesses ten) and plans every batch anew (~90 µs a create).
 */
export const CLAIMED = `claimed as (update machines as m set
  gpu_used = m.gpu_used + c.gpus, vcpu_used = m.vcpu_used + c.vcpus,
  memory_used = m.memory_used + c.memory, disk_used = m.disk_used + c.disk, next_port = c.to_port
from unnest((select $1::text[]), (select $2::int[]), (select $3::int[]), (select $4::int[]),
  (select $5::int[]), (select $6::int[]), (select $7::int[]), (select $8::bigint[]))
  as c(id, gpus, vcpus, memory, disk, from_port, to_port, new_pod_at)
where m.id = c.id and m.failed_at is null and m.removed_at is null and m.next_port = c.from_port
  and (c.new_pod_at is null or (m.cordoned = 0 and (m.maintenance_start is null
    or m.maintenance_start > c.new_pod_at or (m.maintenance_end is not null and m.maintenance_end <= c.new_pod_at))))
  and m.gpu_used + c.gpus <= m.gpu_count and m.vcpu_used + c.vcpus <= m.vcpu_count
  and m.memory_used + c.memory <= m.memory_gb and m.disk_used + c.disk <= m.disk_gb
returning m.id, m.gpu_used, m.vcpu_used, m.memory_used, m.disk_used, m.next_port)`

/**
 * The primary query of a statement opened with `CLAIMED`: the claimed machines' new counters, one
 * JSON array. Should any machine refuse its claims (fewer rows than $9, the machines claimed), it
 * divides by zero: the statement fails whole, everything it wrote undone, in a transaction or
 * not. (An aggregate always yields its row, so the check runs even when every claim is refused.)
 */
export const CLAIMS_CHECKED = `select json_agg(claimed) as claimed, 1 / (count(*) = $9)::int as all_taken from claimed`

/** SQLSTATE of `CLAIMS_CHECKED`'s refusal. */
const DIVISION_BY_ZERO = '22012'

export type ClaimedColumns = Pick<
  MachineRow,
  'id' | 'gpu_used' | 'vcpu_used' | 'memory_used' | 'disk_used' | 'next_port'
>

/** The database refused claims the fleet cache had allowed: the batch runs again (`StaleAttempt`). */
export class ClaimsRefused extends StaleAttempt {
  constructor() {
    super('machines changed under the batch: claims refused')
  }

  /** The error a statement closed by `CLAIMS_CHECKED` failed with, as a refusal where it is one. */
  static from(error: unknown): unknown {
    return (error as { code?: unknown })?.code === DIVISION_BY_ZERO ? new ClaimsRefused() : error
  }
}

interface MachineClaims {
  /** The row before the batch's first claim on the machine, and after its latest. */
  readonly before: MachineRow
  after: MachineRow
  /** When the latest new pod among the claims was placed; null if none is new. */
  newPodAt: number | null
}

/** A batch's claims not yet written, by machine. */
export class BatchClaims {
  readonly #machines = new Map<string, MachineClaims>()

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

  get size(): number {
    return this.#machines.size
  }

  /**
   * The claims' parameters of `CLAIMED` and `CLAIMS_CHECKED` ($1–$9), taken out. Sorted by machine
   * id, so concurrent batches (other replicas') tend to lock machines in one order; a deadlock
   * PostgreSQL detects fails the batch, which then runs again claim by claim.
   */
  take(): unknown[] {
    const claims = [...this.#machines.values()].sort((a, b) => (a.before.id < b.before.id ? -1 : 1))
    this.#machines.clear()
    const column = (pick: (c: MachineClaims) => unknown) => claims.map(pick)
    return [
      column((c) => c.before.id),
      column((c) => c.after.gpu_used - c.before.gpu_used),
      column((c) => c.after.vcpu_used - c.before.vcpu_used),
      column((c) => c.after.memory_used - c.before.memory_used),
      column((c) => c.after.disk_used - c.before.disk_used),
      column((c) => c.before.next_port),
      column((c) => c.after.next_port),
      column((c) => c.newPodAt),
      claims.length,
    ]
  }
}
