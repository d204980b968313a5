/** The user-owned resources pods refer to. */

export interface Template {
  readonly id: string
  /** Null for official templates. */
  readonly userId: string | null
  readonly name: string
  readonly imageName: string
  readonly category: string
  readonly containerDiskInGb: number
  readonly volumeInGb: number
  readonly volumeMountPath: string
  readonly ports: readonly string[]
  readonly env: Readonly<Record<string, string>>
  readonly dockerEntrypoint: readonly string[]
  readonly dockerStartCmd: readonly string[]
  readonly readme: string
  readonly isPublic: boolean
  readonly isRunpod: boolean
  readonly isServerless: boolean
  readonly containerRegistryAuthId: string | null
  readonly earned: number
  readonly runtimeInMin: number
  readonly createdAt: number
}

export interface NetworkVolume {
  readonly id: string
  readonly userId: string
  readonly name: string
  readonly size: number
  readonly dataCenterId: string
  readonly createdAt: number
}

export interface RegistryAuth {
  readonly id: string
  readonly userId: string
  readonly name: string
  readonly username: string
  readonly createdAt: number
}

export interface SavingsPlan {
  readonly id: string
  readonly userId: string
  readonly podId: string
  readonly gpuTypeId: string
  readonly costPerHr: number
  readonly startTime: number
  readonly endTime: number
}

export interface EndpointConfig {
  readonly computeType: 'GPU' | 'CPU'
  readonly gpuTypeIds: readonly string[]
  readonly gpuCount: number
  readonly allowedCudaVersions: readonly string[]
  readonly minCudaVersion: string | null
  readonly cpuFlavorIds: readonly string[]
  readonly vcpuCount: number
  readonly dataCenterIds: readonly string[]
  readonly networkVolumeIds: readonly string[]
  readonly executionTimeoutMs: number
  readonly idleTimeout: number
  readonly scalerType: 'QUEUE_DELAY' | 'REQUEST_COUNT'
  readonly scalerValue: number
  readonly workersMin: number
  readonly workersMax: number
  readonly flashboot: boolean
}

export interface Endpoint extends EndpointConfig {
  readonly id: string
  readonly userId: string
  readonly name: string
  readonly templateId: string
  /** Bumped by every release (endpoint or template change); workers carry it as `slsVersion`. */
  readonly version: number
  readonly createdAt: number
}
