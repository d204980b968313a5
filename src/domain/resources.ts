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
