import type { Pod } from './pod.js'
import type { NetworkVolume, VolumeType } from './resources.js'

export type UsageKind = 'pod_running' | 'pod_stopped' | 'network_volume'

/** A stretch of time billed at fixed rates. */
export interface UsageInterval {
  readonly id: string
  readonly userId: string
  readonly kind: UsageKind
  readonly podId: string | null
  readonly endpointId: string | null
  readonly networkVolumeId: string | null
  readonly gpuTypeId: string | null
  readonly dataCenterId: string | null
  readonly gpuCount: number
  readonly computePerHr: number
  readonly diskGb: number
  readonly diskPerHr: number
  /** A network volume's storage tier, kept with its spend (the volume may be deleted); null for pods. */
  readonly volumeType: VolumeType | null
  readonly startedAt: number
  readonly endedAt: number | null
}

const HOURS_PER_MONTH = 730

/** RunPod's storage prices, per GB per hour. */
export const STORAGE_PRICES = Object.freeze({
  /** Container disk and pod volume of a running pod: $0.10 per GB-month. */
  podDiskRunning: 0.1 / HOURS_PER_MONTH,
  /** Pod volume of a stopped pod: $0.20 per GB-month. */
  podVolumeStopped: 0.2 / HOURS_PER_MONTH,
  /** Network volumes: $0.07 per GB-month up to 1 TB, $0.05 beyond. */
  networkVolume: 0.07 / HOURS_PER_MONTH,
  networkVolumeOver1Tb: 0.05 / HOURS_PER_MONTH,
})

export function networkVolumePerHr(sizeGb: number): number {
  return (
    Math.min(sizeGb, 1000) * STORAGE_PRICES.networkVolume +
    Math.max(sizeGb - 1000, 0) * STORAGE_PRICES.networkVolumeOver1Tb
  )
}

type Identity = Pick<Pod, 'userId' | 'id' | 'endpointId' | 'gpuTypeId' | 'dataCenterId' | 'gpuCount'>

/**
 * A pod's interval, written out whole: spreading a shared part into a literal with more keys
 * (`{ ...fromPod(pod), kind }`) took V8's slow path, ~4 µs a create against ~40 ns.
 */
function podInterval(
  pod: Identity,
  id: string,
  at: number,
  rates: Pick<UsageInterval, 'kind' | 'computePerHr' | 'diskGb' | 'diskPerHr'>,
): UsageInterval {
  return {
    id,
    userId: pod.userId,
    kind: rates.kind,
    podId: pod.id,
    endpointId: pod.endpointId,
    networkVolumeId: null,
    gpuTypeId: pod.gpuTypeId,
    dataCenterId: pod.dataCenterId,
    gpuCount: pod.gpuCount,
    computePerHr: rates.computePerHr,
    diskGb: rates.diskGb,
    diskPerHr: rates.diskPerHr,
    volumeType: null,
    startedAt: at,
    endedAt: null,
  }
}

/** A running pod pays its hourly rate plus its container disk and volume. */
export function runningUsage(
  pod: Identity & Pick<Pod, 'costPerHr' | 'containerDiskInGb' | 'volumeInGb'>,
  id: string,
  at: number,
): UsageInterval {
  const diskGb = pod.containerDiskInGb + pod.volumeInGb
  return podInterval(pod, id, at, {
    kind: 'pod_running',
    computePerHr: pod.costPerHr,
    diskGb,
    diskPerHr: diskGb * STORAGE_PRICES.podDiskRunning,
  })
}

/** A stopped pod pays only for keeping its volume. */
export function stoppedUsage(pod: Identity & Pick<Pod, 'volumeInGb'>, id: string, at: number): UsageInterval {
  return podInterval(pod, id, at, {
    kind: 'pod_stopped',
    computePerHr: 0,
    diskGb: pod.volumeInGb,
    diskPerHr: pod.volumeInGb * STORAGE_PRICES.podVolumeStopped,
  })
}

export function volumeUsage(volume: NetworkVolume, id: string, at: number): UsageInterval {
  return {
    id,
    userId: volume.userId,
    kind: 'network_volume',
    podId: null,
    endpointId: null,
    networkVolumeId: volume.id,
    gpuTypeId: null,
    dataCenterId: volume.dataCenterId,
    gpuCount: 0,
    computePerHr: 0,
    diskGb: volume.size,
    diskPerHr: networkVolumePerHr(volume.size),
    volumeType: volume.type,
    startedAt: at,
    endedAt: null,
  }
}
