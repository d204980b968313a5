import { rankPlacements } from './place.js'
import type { MachineCapacity, Placement, PlacementRequest } from './types.js'

export const AVAILABILITY_LEVELS = ['NONE', 'LOW', 'MEDIUM', 'HIGH'] as const
export type AvailabilityLevel = (typeof AVAILABILITY_LEVELS)[number]

/**
 * The level shown for how many pods of one shape could be placed right now: 0 is NONE, 1–2 LOW,
 * 3–7 MEDIUM, 8 or more HIGH (a whole free 8-GPU machine, at one GPU a pod). Every level but
 * NONE means a create of that shape finds a machine now.
 *
 * @example availabilityLevel(4) // 'MEDIUM'
 */
export function availabilityLevel(pods: number): AvailabilityLevel {
  if (pods >= 8) return 'HIGH'
  if (pods >= 3) return 'MEDIUM'
  return pods >= 1 ? 'LOW' : 'NONE'
}

/** How many pods of one shape fit right now, in all and where. */
export interface Stock {
  readonly pods: number
  /** Pods that fit, for every data center where some machine offers the shape (0 when all are full). */
  readonly byDataCenter: ReadonlyMap<string, number>
  /** Pods that fit, for every CUDA version some machine offering the shape runs. */
  readonly byCudaVersion: ReadonlyMap<string, number>
}

export const NO_STOCK: Stock = Object.freeze({ pods: 0, byDataCenter: new Map(), byCudaVersion: new Map() })

/**
 * How many pods shaped like `request` the machines could take right now, and where. Which
 * machines can take one is the scheduler's own call (`rankPlacements`), so availability never
 * promises what a create would refuse; free GPUs, vCPUs, memory and disk then say how many. Only
 * free capacity counts: taking GPUs back from interruptible pods is left out.
 *
 * A machine offers the shape when it could hold such a pod once empty (right type or flavor,
 * place and cloud, enough GPUs or vCPUs, accepted CUDA version), whatever its state now; that is
 * what lists a full data center or CUDA version with no stock instead of leaving it out.
 *
 * @example stockOf(fleet, request).byDataCenter.get('US-TX-3') // 2 pods fit there now
 */
export function stockOf(machines: readonly MachineCapacity[], request: PlacementRequest): Stock {
  const byDataCenter = new Map<string, number>()
  const byCudaVersion = new Map<string, number>()
  const dataCenters = new Set(request.dataCenterIds)
  const offering = machines.filter((m) => dataCenters.has(m.dataCenterId) && offers(m, request))
  for (const m of offering) {
    byDataCenter.set(m.dataCenterId, 0)
    if (m.cudaVersion !== null) byCudaVersion.set(m.cudaVersion, 0)
  }
  const freeOnly = request.computeType === 'GPU' ? { ...request, mayPreempt: false } : request
  let pods = 0
  for (const placement of rankPlacements(offering, freeOnly)) {
    const m = placement.machine
    const fits = podsFitting(placement)
    pods += fits
    byDataCenter.set(m.dataCenterId, byDataCenter.get(m.dataCenterId)! + fits)
    if (m.cudaVersion !== null) byCudaVersion.set(m.cudaVersion, byCudaVersion.get(m.cudaVersion)! + fits)
  }
  return { pods, byDataCenter, byCudaVersion }
}

function offers(m: MachineCapacity, r: PlacementRequest): boolean {
  if (r.cloudType !== 'ALL' && (r.cloudType === 'SECURE') !== m.secureCloud) return false
  if (r.countryCodes.length > 0 && !r.countryCodes.includes(m.countryCode)) return false
  if (r.computeType === 'CPU') {
    return r.cpuFlavors.some((f) => f.id === m.cpuFlavorId) && m.vcpuCount >= r.vcpuCount
  }
  return (
    r.gpuTypes.some((t) => t.id === m.gpuTypeId) &&
    m.gpuCount >= r.gpuCount &&
    r.gpuCount >= m.minPodGpuCount &&
    (r.allowedCudaVersions.length === 0 ||
      (m.cudaVersion !== null && r.allowedCudaVersions.includes(m.cudaVersion)))
  )
}

/** Pods like this placement's that the machine's free capacity holds side by side. */
function podsFitting(p: Placement): number {
  const m = p.machine
  const times = (free: number, each: number) =>
    each > 0 ? Math.floor(free / each) : Number.POSITIVE_INFINITY
  return Math.min(
    times(m.gpuFree, p.gpuCount),
    times(m.vcpuFree, p.vcpuCount),
    times(m.memoryFree, p.memoryGb),
    times(m.diskFree, p.diskGb),
  )
}
