import { rankPlacements } from './place.js'
import type { GpuPlacementRequest, MachineCapacity, Placement } from './types.js'

/**
 * Gang placement for a cluster: `count` identical GPU pods, all in ONE data center, or nothing.
 * Pure: takes the machines as they are and answers every member's placement, or undefined when
 * no single data center can take them all. Members never preempt interruptible pods: a cluster
 * waits for free capacity rather than evicting spot pods across a data center.
 *
 * Data centers are tried in the order their best single placement ranks (the caller's priority,
 * then price); within one, each member takes the best machine left after the ones before it,
 * so several members may share a machine with room for them.
 */
export function planGang(
  machines: readonly MachineCapacity[],
  request: GpuPlacementRequest,
  count: number,
): Placement[] | undefined {
  const onDemand = { ...request, mayPreempt: false }
  const dataCenters = [...new Set(rankPlacements(machines, onDemand).map((p) => p.machine.dataCenterId))]
  for (const dc of dataCenters) {
    const inDc = machines.filter((m) => m.dataCenterId === dc)
    // Not enough free GPUs in all: no need to place members one by one to find out.
    if (inDc.reduce((sum, m) => sum + m.gpuFree, 0) < count * request.gpuCount) continue
    const plan = fill(inDc, { ...onDemand, dataCenterIds: [dc] }, count)
    if (plan.length === count) return plan
  }
  return undefined
}

/** Up to `cap` placements, each on what the ones before it left free. */
function fill(machines: readonly MachineCapacity[], request: GpuPlacementRequest, cap: number): Placement[] {
  const free = new Map(machines.map((m) => [m.id, m]))
  const plan: Placement[] = []
  while (plan.length < cap) {
    const [best] = rankPlacements([...free.values()], request, 1)
    if (!best) break
    plan.push(best)
    const m = best.machine
    free.set(m.id, {
      ...m,
      gpuFree: m.gpuFree - best.gpuCount,
      vcpuFree: m.vcpuFree - best.vcpuCount,
      memoryFree: m.memoryFree - best.memoryGb,
      diskFree: m.diskFree - best.diskGb,
    })
  }
  return plan
}
