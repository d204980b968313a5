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
  readonly maintenanceStart: number | null
  readonly maintenanceEnd: number | null
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
  /** Acceptable GPU types, in the caller's order, each with its hourly price per cloud for ranking. */
  readonly gpuTypes: readonly {
    readonly id: string
    readonly securePrice: number
    readonly communityPrice: number
  }[]
  readonly gpuTypePriority: Priority
  readonly gpuCount: number
  readonly minRAMPerGPU: number
  readonly minVCPUPerGPU: number
  /** Empty means any CUDA version. */
  readonly allowedCudaVersions: readonly string[]
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
}
