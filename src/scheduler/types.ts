/** What the scheduler knows of a machine: where it is, what it has, what is free. */
export interface MachineCapacity {
  readonly id: string
  readonly dataCenterId: string
  readonly countryCode: string
  readonly secureCloud: boolean
  /** Null for CPU-only hosts. */
  readonly gpuTypeId: string | null
  readonly gpuCount: number
  readonly gpuFree: number
  /** Set for CPU-only hosts. */
  readonly cpuFlavorId: string | null
  readonly vcpuCount: number
  readonly vcpuFree: number
  readonly memoryGb: number
  readonly memoryFree: number
  readonly diskFree: number
  readonly diskThroughputMBps: number
  readonly uploadMbps: number
  readonly downloadMbps: number
  readonly cudaVersion: string | null
  readonly supportPublicIp: boolean
  readonly minPodGpuCount: number
  readonly cordoned: boolean
  /** A machine that is down runs nothing and takes nothing. */
  readonly failed: boolean
  readonly maintenanceStart: number | null
  readonly maintenanceEnd: number | null
  /** Operator's on-demand price per GPU-hour here; null means the GPU type's price. */
  readonly pricePerGpu: number | null
  /** What interruptible (spot) pods hold here, which an on-demand pod may reclaim. */
  readonly spotGpus: number
  readonly spotVcpus: number
  readonly spotMemoryGb: number
}

export type Priority = 'availability' | 'custom'
export type CloudChoice = 'SECURE' | 'COMMUNITY' | 'ALL'

interface CommonRequest {
  /** Acceptable data centers, in the caller's order (see `dataCenterPriority`). */
  readonly dataCenterIds: readonly string[]
  readonly dataCenterPriority: Priority
  readonly cloudType: CloudChoice
  /** Empty means any country. */
  readonly countryCodes: readonly string[]
  readonly minDiskBandwidthMBps: number
  readonly minDownloadMbps: number
  readonly minUploadMbps: number
  readonly supportPublicIp: boolean
  /** Container disk plus pod volume. */
  readonly diskGb: number
  /** Placement time, for maintenance windows. */
  readonly now: number
}

export interface GpuPlacementRequest extends CommonRequest {
  readonly computeType: 'GPU'
  /**
   * Acceptable GPU types, in the caller's order, with the hourly price per GPU in each cloud for
   * this request (spot prices for an interruptible one) and the factor that turns a machine's
   * on-demand price override into this request's price.
   */
  readonly gpuTypes: readonly {
    readonly id: string
    readonly securePrice: number
    readonly communityPrice: number
    readonly overrideFactor: number
  }[]
  readonly gpuTypePriority: Priority
  readonly gpuCount: number
  readonly minRAMPerGPU: number
  readonly minVCPUPerGPU: number
  /** Empty means any CUDA version. */
  readonly allowedCudaVersions: readonly string[]
  /** On-demand requests may take GPUs back from interruptible pods when nothing is free. */
  readonly mayPreempt: boolean
}

export interface CpuPlacementRequest extends CommonRequest {
  readonly computeType: 'CPU'
  /** Acceptable CPU flavors, in the caller's order, with what one vCPU brings and costs. */
  readonly cpuFlavors: readonly {
    readonly id: string
    readonly ramPerVcpuGb: number
    readonly pricePerVcpu: number
  }[]
  readonly cpuFlavorPriority: Priority
  readonly vcpuCount: number
}

export type PlacementRequest = GpuPlacementRequest | CpuPlacementRequest

/** One machine that can take the pod, and what the pod would hold there. */
export interface Placement {
  readonly machine: MachineCapacity
  readonly gpuCount: number
  readonly vcpuCount: number
  readonly memoryGb: number
  readonly diskGb: number
  /** Hourly price of the pod's compute on this machine. */
  readonly pricePerHr: number
  /** Interruptible pods on the machine must be stopped to make room. */
  readonly preempts: boolean
}
