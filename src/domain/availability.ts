import type { Catalog } from '../fleet/catalog.js'
import { NO_STOCK, type Stock, stockOf } from '../scheduler/availability.js'
import type { CloudChoice, MachineCapacity } from '../scheduler/types.js'
import { MIN_CLUSTER_PODS } from './cluster.js'
import { placementRequest } from './placement.js'
import { type CreatePodRequest, resolvePodSpec } from './pod-spec.js'

/** RunPod's product contexts for availability. */
export const PRODUCTS = ['POD', 'CLUSTER', 'SERVERLESS'] as const
export type Product = (typeof PRODUCTS)[number]

/** Exact CUDA versions, or a floor (`12` meaning any 12.x). */
export type CudaFilter = { readonly versions: readonly string[] } | { readonly atLeast: string }

export interface GpuStockQuery {
  readonly products: readonly Product[]
  readonly gpuCount: number
  readonly cloud: CloudChoice
  /** Empty means any country. */
  readonly countryCodes: readonly string[]
  readonly cuda?: CudaFilter
}

export interface CpuStockQuery {
  readonly products: readonly Product[]
  readonly vcpuCount: number
}

/**
 * Stock of one GPU type for a pod created with RunPod's defaults (50 GB container disk, 20 GB
 * volume, at least 2 vCPUs and 8 GB of RAM a GPU) and the query's count, cloud, countries and
 * CUDA versions: exactly what such a create asks the scheduler for. Serverless workers are pods
 * on the same fleet, so SERVERLESS reads the same stock. CLUSTER alone counts those pods only in
 * data centers that can host a cluster of them right now (at least 2 side by side: members are
 * placed together, in one data center), and only in Secure Cloud, where clusters run.
 */
export function gpuStock(
  catalog: Catalog,
  machines: readonly MachineCapacity[],
  gpuTypeId: string,
  q: GpuStockQuery,
  now: number,
): Stock {
  const clustersOnly = !q.products.some(runsAsPods)
  if (clustersOnly && q.cloud === 'COMMUNITY') return NO_STOCK
  const request = referenceRequest(
    {
      gpuTypeIds: [gpuTypeId],
      gpuCount: q.gpuCount,
      cloudType: clustersOnly ? 'SECURE' : q.cloud,
      countryCodes: q.countryCodes,
    },
    catalog,
    now,
  )
  const { cuda } = q
  const onVersion =
    cuda === undefined
      ? machines
      : machines.filter((m) => m.cudaVersion !== null && cudaAccepts(cuda, m.cudaVersion))
  const stock = stockOf(onVersion, request)
  return clustersOnly ? clusterStock(stock, onVersion, request) : stock
}

/** Pod stock kept only where a data center holds a whole (smallest) cluster of such pods. */
function clusterStock(
  pods: Stock,
  machines: readonly MachineCapacity[],
  request: ReturnType<typeof referenceRequest>,
): Stock {
  const tooSmall = new Set([...pods.byDataCenter].filter(([, n]) => n < MIN_CLUSTER_PODS).map(([dc]) => dc))
  if (tooSmall.size === 0) return pods
  const hosting = stockOf(
    machines.filter((m) => !tooSmall.has(m.dataCenterId)),
    request,
  )
  return {
    pods: hosting.pods,
    byDataCenter: new Map([...pods.byDataCenter].map(([dc, n]) => [dc, tooSmall.has(dc) ? 0 : n])),
    byCudaVersion: new Map([...pods.byCudaVersion.keys()].map((v) => [v, hosting.byCudaVersion.get(v) ?? 0])),
  }
}

/** Stock of one CPU flavor for a CPU pod of `vcpuCount` vCPUs with RunPod's default disks, in Secure Cloud. */
export function cpuStock(
  catalog: Catalog,
  machines: readonly MachineCapacity[],
  cpuFlavorId: string,
  q: CpuStockQuery,
  now: number,
): Stock {
  if (!q.products.some(runsAsPods)) return NO_STOCK
  const request = referenceRequest(
    { computeType: 'CPU', cpuFlavorIds: [cpuFlavorId], vcpuCount: q.vcpuCount },
    catalog,
    now,
  )
  return stockOf(machines, request)
}

/** Products whose stock is plain pods; CLUSTER's is pods that can stand together. */
const runsAsPods = (p: Product) => p !== 'CLUSTER'

function referenceRequest(req: CreatePodRequest, catalog: Catalog, now: number) {
  // Placement never looks at the image; resolving a real create request keeps every other
  // default identical to the one a create gets.
  const spec = resolvePodSpec({ imageName: 'availability', ...req }, { catalog })
  return placementRequest(spec, catalog, now)
}

/** Whether `version` (major.minor) passes the filter; versions compare as numbers, so 12.10 > 12.9. */
export function cudaAccepts(filter: CudaFilter, version: string): boolean {
  if ('versions' in filter) return filter.versions.includes(version)
  return compareCuda(version, filter.atLeast) >= 0
}

/** Orders CUDA versions numerically, major then minor; a bare major is its .0. */
export function compareCuda(a: string, b: string): number {
  const [aMajor = 0, aMinor = 0] = a.split('.').map(Number)
  const [bMajor = 0, bMinor = 0] = b.split('.').map(Number)
  return aMajor - bMajor || aMinor - bMinor
}
