import { newCuid } from '../ids.js'
import type { ComputeClaim } from '../store/machines.js'
import type { Repositories } from '../store/store.js'
import type { Pod } from './pod.js'
import { holdsCompute } from './pod-lifecycle.js'
import { statusChange } from './status-text.js'
import { runningUsage, stoppedUsage, type UsageInterval } from './usage.js'

/** Thrown inside a transaction to roll it back when another request changed the pod first. */
export class LostRace extends Error {}

/** What a running pod holds on its machine besides disk. */
export function computeOf(pod: Pick<Pod, 'gpuCount' | 'vcpuCount' | 'memoryInGb'>): ComputeClaim {
  return { gpuCount: pod.gpuCount, vcpuCount: pod.vcpuCount, memoryGb: pod.memoryInGb, diskGb: 0 }
}

/**
 * Writes `next` over `before` if nobody changed the pod meanwhile (else throws LostRace), and keeps
 * usage in step: a new interval whenever what the pod is billed for changes, from `billedFrom`
 * (`now` unless the change took effect earlier, as a maintenance window found late does).
 */
export async function commitPod(
  tx: Repositories,
  before: Pod,
  next: Pod,
  now: number,
  billedFrom = now,
): Promise<Pod> {
  const stamped = { ...next, updatedAt: now, version: before.version + 1 }
  const billedAs = (p: Pod) =>
    p.status === 'TERMINATED'
      ? 'none'
      : holdsCompute(p.status)
        ? `running:${p.costPerHr}:${p.containerDiskInGb + p.volumeInGb}`
        : `stopped:${p.volumeInGb}`
  const usage =
    billedAs(before) === billedAs(stamped)
      ? undefined
      : { at: billedFrom, next: billedBy(stamped, billedFrom) }
  if (!(await tx.pods.replace(stamped, before.version, usage))) throw new LostRace()
  return stamped
}

/** The usage interval a pod in its state is billed by from `at` on; none once it is terminated. */
function billedBy(pod: Pod, at: number): UsageInterval | undefined {
  if (pod.status === 'TERMINATED') return undefined
  return holdsCompute(pod.status) ? runningUsage(pod, newCuid(), at) : stoppedUsage(pod, newCuid(), at)
}

/** Stopping gives back GPUs, vCPUs and memory; the disk stays with the pod. */
export async function releaseCompute(tx: Repositories, pod: Pod): Promise<void> {
  if (await tx.machines.releaseHeldBy(pod.id, pod.machineId, { disk: false }))
    await tx.allocations.setCompute(pod.id, pod.machineId, { gpuCount: 0, vcpuCount: 0, memoryGb: 0 })
}

/** Terminating gives back everything, disk included. */
export async function releaseEverything(tx: Repositories, pod: Pod): Promise<void> {
  if (await tx.machines.releaseHeldBy(pod.id, pod.machineId, { disk: true }))
    await tx.allocations.delete(pod.id)
}

/**
 * Stops a pod inside `tx`, with `event` as its status text ("Exited by User", "Interrupted …").
 * `stoppedAt` backdates the stop (status text and billing, not `updatedAt`) to when it should
 * have happened; it must not precede the pod's open usage interval (its `lastStartedAt`).
 */
export async function stopWithin(
  tx: Repositories,
  pod: Pod,
  now: number,
  event: string,
  held: boolean,
  stoppedAt = now,
): Promise<Pod> {
  if (held) await releaseCompute(tx, pod)
  return commitPod(
    tx,
    pod,
    { ...pod, status: 'EXITED', readyAt: null, lastStatusChange: statusChange(event, stoppedAt) },
    now,
    stoppedAt,
  )
}
