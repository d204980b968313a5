/** The fleet's reference data, held in memory: small, read on every request, changed rarely. */

export interface GpuType {
  readonly id: string
  readonly displayName: string
  readonly manufacturer: string
  readonly memoryInGb: number
  readonly securePrice: number
  readonly communityPrice: number
  readonly secureSpotPrice: number
  readonly communitySpotPrice: number
  readonly oneWeekPrice: number
  readonly oneMonthPrice: number
  readonly threeMonthPrice: number
  readonly sixMonthPrice: number
  readonly maxGpuCount: number
}

export interface DataCenter {
  readonly id: string
  readonly name: string
  readonly location: string
  readonly countryCode: string
  readonly globalNetworking: boolean
}

export interface CpuFlavor {
  readonly id: string
  readonly displayName: string
  readonly groupId: string
  readonly ramPerVcpuGb: number
  readonly pricePerVcpu: number
}

export interface CpuType {
  readonly id: string
  readonly displayName: string
  readonly cores: number
  readonly threadsPerCore: number
  readonly groupId: string
}

export class Catalog {
  readonly gpuTypes: ReadonlyMap<string, GpuType>
  readonly dataCenters: ReadonlyMap<string, DataCenter>
  readonly cpuFlavors: ReadonlyMap<string, CpuFlavor>
  readonly cpuTypes: ReadonlyMap<string, CpuType>

  constructor(parts: {
    gpuTypes: readonly GpuType[]
    dataCenters: readonly DataCenter[]
    cpuFlavors: readonly CpuFlavor[]
    cpuTypes: readonly CpuType[]
  }) {
    this.gpuTypes = new Map(parts.gpuTypes.map((t) => [t.id, t]))
    this.dataCenters = new Map(parts.dataCenters.map((d) => [d.id, d]))
    this.cpuFlavors = new Map(parts.cpuFlavors.map((f) => [f.id, f]))
    this.cpuTypes = new Map(parts.cpuTypes.map((t) => [t.id, t]))
  }

  /** A string that changes exactly when any catalog entry does. */
  fingerprint(): string {
    return JSON.stringify([
      ...this.gpuTypes.values(),
      ...this.dataCenters.values(),
      ...this.cpuFlavors.values(),
      ...this.cpuTypes.values(),
    ])
  }
}
