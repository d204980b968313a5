/**
 * The one pod model. v1 (`desiredStatus`) and v2 (`status` + `actions`) are views over it.
 */

export const POD_STATUSES = ['PROVISIONING', 'STARTING', 'RUNNING', 'EXITED', 'ERROR', 'TERMINATED'] as const
export type PodStatus = (typeof POD_STATUSES)[number]

export type ComputeType = 'GPU' | 'CPU'
export type CloudType = 'SECURE' | 'COMMUNITY'

export interface Pod {
  readonly id: string
  readonly userId: string
  readonly name: string
  readonly image: string
  /** As stored; use `statusAt` for what it is at a given moment (a booting pod becomes RUNNING). */
  readonly status: PodStatus
  readonly machineId: string
  readonly dataCenterId: string
  readonly computeType: ComputeType
  readonly gpuTypeId: string | null
  readonly gpuCount: number
  readonly cpuFlavorId: string | null
  readonly vcpuCount: number
  readonly memoryInGb: number
  readonly containerDiskInGb: number
  readonly volumeInGb: number
  readonly volumeMountPath: string
  readonly volumeEncrypted: boolean
  readonly ports: readonly string[]
  /** Host ports chosen at placement for each tcp port; shown once the pod runs. */
  readonly portMappings: Readonly<Record<string, number>>
  /** The machine's public address; shown once the pod runs. */
  readonly publicIp: string | null
  readonly env: Readonly<Record<string, string>>
  readonly dockerEntrypoint: readonly string[]
  readonly dockerStartCmd: readonly string[]
  readonly cloudType: CloudType
  readonly interruptible: boolean
  readonly locked: boolean
  readonly globalNetworking: boolean
  readonly templateId: string | null
  readonly networkVolumeId: string | null
  readonly endpointId: string | null
  readonly containerRegistryAuthId: string | null
  readonly slsVersion: number
  readonly costPerHr: number
  readonly lastStartedAt: number | null
  readonly lastStatusChange: string
  readonly readyAt: number | null
  readonly createdAt: number
  readonly updatedAt: number
  readonly version: number
}
