/**
 * The catalog podplane seeds into an empty store: RunPod's GPU type ids (every id in the spec's
 * enums, legacy aliases included), data centers, CPU types and CPU flavors, with prices close to
 * RunPod's public price list. Operators change prices later through the store.
 */

export interface GpuTypeSeed {
  readonly id: string
  readonly displayName: string
  readonly manufacturer: 'Nvidia' | 'AMD'
  readonly memoryInGb: number
  readonly securePrice: number
  readonly communityPrice: number
  /** Most GPUs of this type one machine carries. */
  readonly maxGpuCount: number
  /** Lowest CUDA version a host with this GPU runs. */
  readonly minCudaVersion: string
  /** Relative share of this type in a generated fleet; 0 for legacy alias ids. */
  readonly fleetWeight: number
}

const g = (
  id: string,
  displayName: string,
  memoryInGb: number,
  securePrice: number,
  communityPrice: number,
  maxGpuCount: number,
  minCudaVersion: string,
  fleetWeight: number,
  manufacturer: 'Nvidia' | 'AMD' = 'Nvidia',
): GpuTypeSeed => ({
  id,
  displayName,
  manufacturer,
  memoryInGb,
  securePrice,
  communityPrice,
  maxGpuCount,
  minCudaVersion,
  fleetWeight,
})

export const GPU_TYPES: readonly GpuTypeSeed[] = [
  g('NVIDIA GeForce RTX 4090', 'RTX 4090', 24, 0.69, 0.34, 8, '11.8', 14),
  g('NVIDIA A40', 'A40', 48, 0.4, 0.35, 8, '11.8', 6),
  g('NVIDIA RTX A5000', 'RTX A5000', 24, 0.27, 0.16, 8, '11.8', 6),
  g('NVIDIA GeForce RTX 5090', 'RTX 5090', 32, 0.94, 0.69, 8, '12.8', 8),
  g('NVIDIA H100 80GB HBM3', 'H100 SXM', 80, 2.99, 2.69, 8, '12.0', 7),
  g('NVIDIA GeForce RTX 3090', 'RTX 3090', 24, 0.46, 0.22, 8, '11.8', 7),
  g('NVIDIA RTX A4500', 'RTX A4500', 20, 0.25, 0.19, 8, '11.8', 3),
  g('NVIDIA L40S', 'L40S', 48, 0.86, 0.79, 8, '11.8', 6),
  g('NVIDIA H200', 'H200 SXM', 141, 3.59, 3.29, 8, '12.2', 4),
  g('NVIDIA L4', 'L4', 24, 0.43, 0.39, 8, '11.8', 3),
  g('NVIDIA RTX 6000 Ada Generation', 'RTX 6000 Ada', 48, 0.77, 0.74, 8, '11.8', 5),
  g('NVIDIA A100-SXM4-80GB', 'A100 SXM', 80, 1.49, 1.39, 8, '11.8', 5),
  g('NVIDIA RTX 4000 Ada Generation', 'RTX 4000 Ada', 20, 0.26, 0.2, 8, '11.8', 3),
  g('NVIDIA RTX A6000', 'RTX A6000', 48, 0.49, 0.33, 8, '11.8', 6),
  g('NVIDIA A100 80GB PCIe', 'A100 PCIe', 80, 1.64, 1.19, 8, '11.8', 4),
  g('NVIDIA RTX 2000 Ada Generation', 'RTX 2000 Ada', 16, 0.24, 0.23, 8, '11.8', 2),
  g('NVIDIA RTX A4000', 'RTX A4000', 16, 0.25, 0.17, 8, '11.8', 4),
  g('NVIDIA RTX PRO 6000 Blackwell Server Edition', 'RTX PRO 6000', 96, 1.79, 1.69, 8, '12.8', 3),
  g('NVIDIA H100 PCIe', 'H100 PCIe', 80, 2.39, 1.99, 8, '12.0', 3),
  g('NVIDIA H100 NVL', 'H100 NVL', 94, 2.79, 2.59, 8, '12.0', 2),
  g('NVIDIA L40', 'L40', 48, 0.99, 0.69, 8, '11.8', 2),
  g('NVIDIA B200', 'B200', 180, 5.99, 5.49, 8, '12.8', 2),
  g('NVIDIA GeForce RTX 3080 Ti', 'RTX 3080 Ti', 12, 0.25, 0.18, 8, '11.8', 2),
  g('NVIDIA RTX PRO 6000 Blackwell Workstation Edition', 'RTX PRO 6000 WK', 96, 1.79, 1.59, 8, '12.8', 2),
  g('NVIDIA GeForce RTX 3080', 'RTX 3080', 10, 0.22, 0.17, 8, '11.8', 2),
  g('NVIDIA GeForce RTX 3070', 'RTX 3070', 8, 0.17, 0.13, 8, '11.8', 2),
  g('AMD Instinct MI300X OAM', 'MI300X', 192, 2.49, 2.19, 8, '12.0', 2, 'AMD'),
  g('NVIDIA GeForce RTX 4080 SUPER', 'RTX 4080 SUPER', 16, 0.39, 0.32, 8, '11.8', 2),
  g('Tesla V100-PCIE-16GB', 'Tesla V100', 16, 0.24, 0.14, 8, '11.8', 1),
  g('Tesla V100-SXM2-32GB', 'V100 SXM2 32GB', 32, 0.31, 0.22, 8, '11.8', 1),
  g('NVIDIA RTX 5000 Ada Generation', 'RTX 5000 Ada', 32, 0.55, 0.5, 8, '11.8', 2),
  g('NVIDIA GeForce RTX 4070 Ti', 'RTX 4070 Ti', 12, 0.24, 0.18, 8, '11.8', 1),
  g('NVIDIA RTX 4000 SFF Ada Generation', 'RTX 4000 Ada SFF', 20, 0.28, 0.2, 8, '11.8', 1),
  g('NVIDIA GeForce RTX 3090 Ti', 'RTX 3090 Ti', 24, 0.36, 0.27, 8, '11.8', 1),
  g('NVIDIA RTX A2000', 'RTX A2000', 6, 0.16, 0.12, 8, '11.8', 1),
  g('NVIDIA GeForce RTX 4080', 'RTX 4080', 16, 0.32, 0.28, 8, '11.8', 1),
  g('NVIDIA A30', 'A30', 24, 0.35, 0.26, 8, '11.8', 1),
  g('NVIDIA GeForce RTX 5080', 'RTX 5080', 16, 0.49, 0.39, 8, '12.8', 2),
  g('Tesla V100-FHHL-16GB', 'V100 FHHL', 16, 0.24, 0.15, 8, '11.8', 1),
  g('NVIDIA H200 NVL', 'H200 NVL', 143, 3.29, 2.99, 8, '12.4', 1),
  g('Tesla V100-SXM2-16GB', 'V100 SXM2', 16, 0.22, 0.17, 8, '11.8', 1),
  g(
    'NVIDIA RTX PRO 6000 Blackwell Max-Q Workstation Edition',
    'RTX PRO 6000 MaxQ',
    96,
    1.69,
    1.49,
    8,
    '12.8',
    1,
  ),
  g('NVIDIA A5000 Ada', 'A5000 Ada', 32, 0.55, 0.49, 8, '11.8', 1),
  g('Tesla V100-PCIE-32GB', 'V100 PCIe 32GB', 32, 0.29, 0.19, 8, '11.8', 1),
  g('NVIDIA  RTX A4500', 'RTX A4500', 20, 0.25, 0.19, 8, '11.8', 0),
  g('NVIDIA  A30', 'A30', 24, 0.35, 0.26, 8, '11.8', 0),
  g('NVIDIA GeForce RTX 3080TI', 'RTX 3080 Ti', 12, 0.25, 0.18, 8, '11.8', 0),
  g('Tesla T4', 'Tesla T4', 16, 0.2, 0.15, 8, '11.8', 1),
  g('NVIDIA RTX A30', 'A30', 24, 0.35, 0.26, 8, '11.8', 0),
  g('NVIDIA A100-SXM4-40GB', 'A100 SXM 40GB', 40, 1.19, 0.99, 8, '11.8', 1),
]

/** Spot and savings-plan prices derive from the on-demand ones by fixed ratios. */
export const PRICE_RATIOS = Object.freeze({
  spot: 0.55,
  oneWeek: 0.95,
  oneMonth: 0.9,
  threeMonth: 0.85,
  sixMonth: 0.8,
})

export const CUDA_VERSIONS = [
  '11.8',
  '12.0',
  '12.1',
  '12.2',
  '12.3',
  '12.4',
  '12.5',
  '12.6',
  '12.7',
  '12.8',
  '12.9',
  '13.0',
] as const

export interface DataCenterSeed {
  readonly id: string
  readonly name: string
  readonly location: string
  readonly countryCode: string
  /** Whether global networking (private cross-DC network) is offered here. */
  readonly globalNetworking: boolean
  /** Share of the generated fleet placed here. */
  readonly fleetWeight: number
}

const dc = (
  id: string,
  name: string,
  location: string,
  countryCode: string,
  fleetWeight: number,
  globalNetworking = false,
): DataCenterSeed => ({ id, name, location, countryCode, fleetWeight, globalNetworking })

/** RunPod's data center ids, in the order of the spec's enum. */
export const DATA_CENTERS: readonly DataCenterSeed[] = [
  dc('EU-RO-1', 'EU-RO-1', 'Romania', 'RO', 8, true),
  dc('CA-MTL-1', 'CA-MTL-1', 'Canada', 'CA', 6, true),
  dc('EU-SE-1', 'EU-SE-1', 'Sweden', 'SE', 5),
  dc('US-IL-1', 'US-IL-1', 'United States', 'US', 4),
  dc('EUR-IS-1', 'EUR-IS-1', 'Iceland', 'IS', 4, true),
  dc('EU-CZ-1', 'EU-CZ-1', 'Czech Republic', 'CZ', 3),
  dc('US-TX-3', 'US-TX-3', 'United States', 'US', 6, true),
  dc('EUR-IS-2', 'EUR-IS-2', 'Iceland', 'IS', 3),
  dc('US-KS-2', 'US-KS-2', 'United States', 'US', 5, true),
  dc('US-GA-2', 'US-GA-2', 'United States', 'US', 4, true),
  dc('US-WA-1', 'US-WA-1', 'United States', 'US', 2),
  dc('US-TX-1', 'US-TX-1', 'United States', 'US', 3),
  dc('CA-MTL-3', 'CA-MTL-3', 'Canada', 'CA', 4, true),
  dc('EU-NL-1', 'EU-NL-1', 'Netherlands', 'NL', 4),
  dc('US-TX-4', 'US-TX-4', 'United States', 'US', 3),
  dc('US-CA-2', 'US-CA-2', 'United States', 'US', 4),
  dc('US-NC-1', 'US-NC-1', 'United States', 'US', 3, true),
  dc('OC-AU-1', 'OC-AU-1', 'Australia', 'AU', 2),
  dc('US-DE-1', 'US-DE-1', 'United States', 'US', 2),
  dc('EUR-IS-3', 'EUR-IS-3', 'Iceland', 'IS', 2),
  dc('CA-MTL-2', 'CA-MTL-2', 'Canada', 'CA', 3),
  dc('AP-JP-1', 'AP-JP-1', 'Japan', 'JP', 2),
  dc('EUR-NO-1', 'EUR-NO-1', 'Norway', 'NO', 2),
  dc('EU-FR-1', 'EU-FR-1', 'France', 'FR', 3),
  dc('US-KS-3', 'US-KS-3', 'United States', 'US', 3),
  dc('US-GA-1', 'US-GA-1', 'United States', 'US', 4, true),
]

export interface CpuTypeSeed {
  readonly id: string
  readonly displayName: string
  readonly cores: number
  readonly threadsPerCore: number
  readonly groupId: string
}

export const CPU_TYPES: readonly CpuTypeSeed[] = [
  {
    id: 'AMD EPYC 7763 64-Core Processor',
    displayName: 'EPYC 7763',
    cores: 64,
    threadsPerCore: 2,
    groupId: 'AMD EPYC 7003',
  },
  {
    id: 'AMD EPYC 7B13 64-Core Processor',
    displayName: 'EPYC 7B13',
    cores: 64,
    threadsPerCore: 2,
    groupId: 'AMD EPYC 7003',
  },
  {
    id: 'AMD EPYC 9654 96-Core Processor',
    displayName: 'EPYC 9654',
    cores: 96,
    threadsPerCore: 2,
    groupId: 'AMD EPYC 9004',
  },
  {
    id: 'AMD EPYC 9554 64-Core Processor',
    displayName: 'EPYC 9554',
    cores: 64,
    threadsPerCore: 2,
    groupId: 'AMD EPYC 9004',
  },
  {
    id: 'Intel Xeon Platinum 8480+',
    displayName: 'Xeon Platinum 8480+',
    cores: 56,
    threadsPerCore: 2,
    groupId: 'Intel Xeon Sapphire Rapids',
  },
  {
    id: 'AMD Ryzen Threadripper PRO 5975WX 32-Cores',
    displayName: 'Threadripper PRO 5975WX',
    cores: 32,
    threadsPerCore: 2,
    groupId: 'AMD Threadripper PRO',
  },
  {
    id: 'Intel Xeon Gold 6342',
    displayName: 'Xeon Gold 6342',
    cores: 24,
    threadsPerCore: 2,
    groupId: 'Intel Xeon Ice Lake',
  },
]

export interface CpuFlavorSeed {
  readonly id: string
  readonly displayName: string
  readonly groupId: string
  /** RAM a CPU pod of this flavor gets per vCPU. */
  readonly ramPerVcpuGb: number
  /** Price of one vCPU (with its RAM) per hour. */
  readonly pricePerVcpu: number
  /** CPU types that hosts of this flavor run. */
  readonly cpuTypeIds: readonly string[]
}

const GEN3 = ['AMD EPYC 7763 64-Core Processor', 'AMD EPYC 7B13 64-Core Processor', 'Intel Xeon Gold 6342']
const GEN5 = [
  'AMD EPYC 9654 96-Core Processor',
  'AMD EPYC 9554 64-Core Processor',
  'Intel Xeon Platinum 8480+',
]

export const CPU_FLAVORS: readonly CpuFlavorSeed[] = [
  {
    id: 'cpu3c',
    displayName: 'Compute-Optimized',
    groupId: 'cpu3',
    ramPerVcpuGb: 2,
    pricePerVcpu: 0.02,
    cpuTypeIds: GEN3,
  },
  {
    id: 'cpu3g',
    displayName: 'General Purpose',
    groupId: 'cpu3',
    ramPerVcpuGb: 4,
    pricePerVcpu: 0.025,
    cpuTypeIds: GEN3,
  },
  {
    id: 'cpu3m',
    displayName: 'Memory-Optimized',
    groupId: 'cpu3',
    ramPerVcpuGb: 8,
    pricePerVcpu: 0.035,
    cpuTypeIds: GEN3,
  },
  {
    id: 'cpu5c',
    displayName: 'Compute-Optimized',
    groupId: 'cpu5',
    ramPerVcpuGb: 2,
    pricePerVcpu: 0.028,
    cpuTypeIds: GEN5,
  },
  {
    id: 'cpu5g',
    displayName: 'General Purpose',
    groupId: 'cpu5',
    ramPerVcpuGb: 4,
    pricePerVcpu: 0.035,
    cpuTypeIds: GEN5,
  },
  {
    id: 'cpu5m',
    displayName: 'Memory-Optimized',
    groupId: 'cpu5',
    ramPerVcpuGb: 8,
    pricePerVcpu: 0.045,
    cpuTypeIds: GEN5,
  },
]
