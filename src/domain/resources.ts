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
  /** Containers from this template get the account's SSH keys as `PUBLIC_KEY`. */
  readonly startSsh: boolean
  /** Containers from this template get a generated `JUPYTER_PASSWORD`. */
  readonly startJupyter: boolean
  /** `major.minor` CUDA versions GPU pods from this template accept; empty means any. */
  readonly allowedCudaVersions: readonly string[]
  readonly earned: number
  readonly runtimeInMin: number
  readonly createdAt: number
}

/** Network volume storage tiers. */
export const VOLUME_TYPES = ['STANDARD', 'HIGH_PERFORMANCE'] as const
export type VolumeType = (typeof VOLUME_TYPES)[number]

export interface NetworkVolume {
  readonly id: string
  readonly userId: string
  readonly name: string
  readonly size: number
  readonly dataCenterId: string
  /** Storage tier, fixed at creation. */
  readonly type: VolumeType
  readonly createdAt: number
}

export interface RegistryAuth {
  readonly id: string
  readonly userId: string
  readonly name: string
  readonly username: string
  readonly createdAt: number
}

/** Permission for podplane to pull images from one of the user's Amazon ECR repositories. */
export interface EcrDelegation {
  readonly id: string
  readonly userId: string
  readonly name: string | null
  /** The repository's ARN as the user gave it. */
  readonly resource: string
  readonly awsAccount: string
  readonly awsRegion: string
  readonly repository: string
  readonly tag: string
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

/** FlashBoot cold-start acceleration; v1 sets it as a boolean (OFF or FLASHBOOT). */
export type FlashBoot = 'OFF' | 'FLASHBOOT' | 'PRIORITY_FLASHBOOT'

export interface EndpointConfig {
  /** How requests reach workers: through the job queue, or straight to a worker's HTTP server. */
  readonly type: 'QUEUE' | 'LOAD_BALANCER'
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
  readonly flashboot: FlashBoot
  /**
   * The template was made for this endpoint from container settings given with it (v2), so it
   * changes and goes with the endpoint; otherwise it is a template the user shares (v1).
   */
  readonly boundTemplate: boolean
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
