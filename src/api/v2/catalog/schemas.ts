import Type from 'typebox'
import { PRODUCTS } from '../../../domain/availability.js'
import { COMPLIANCE, DATA_CENTER_REGIONS, NETWORK_VOLUME_TYPES } from '../../../domain/data-centers.js'
import { AVAILABILITY_LEVELS } from '../../../scheduler/availability.js'
import { Enum, OrNull } from '../common.js'

/**
 * v2 catalog schemas, following RunPod's REST v2 spec: `GpuType`, `CpuType`, `DataCenter` and
 * their list responses, and the catalog's query parameters. Lists arrive comma-separated.
 */

const Level = Enum(AVAILABILITY_LEVELS, { description: 'Catalog stock availability level.' })

const DataCenterAvailability = Type.Object({ id: Type.String(), name: Type.String(), availability: Level })

const CatalogResourceAvailability = Type.Object({
  id: Type.String(),
  name: Type.String(),
  availability: Level,
})

const CudaVersionAvailability = Type.Object({
  version: Type.String({ pattern: '^\\d+\\.\\d+$' }),
  available: Type.Boolean(),
})

export const GpuType = Type.Object({
  id: Type.String(),
  name: Type.String(),
  pool: OrNull(Type.String()),
  manufacturer: Enum(['NVIDIA', 'AMD', 'UNKNOWN'] as const),
  memory: Type.Integer({ description: 'VRAM in GB' }),
  secure: Type.Boolean(),
  community: Type.Boolean(),
  price: Type.Object({
    secure: Type.Number(),
    community: Type.Number(),
    serverless: Type.Optional(Type.Number()),
  }),
  maxCount: Type.Object({ secure: Type.Integer(), community: Type.Integer() }),
  availability: Type.Optional(Level),
  dataCenters: Type.Optional(Type.Array(DataCenterAvailability)),
  cudaVersions: Type.Optional(Type.Array(CudaVersionAvailability)),
})
export type GpuType = Type.Static<typeof GpuType>

export const ListGpuTypesResponse = Type.Object({ gpus: Type.Array(GpuType) })

export const CpuType = Type.Object({
  id: Type.String(),
  name: Type.String(),
  group: Type.String(),
  vcpu: Type.Object({ min: Type.Integer(), max: Type.Integer() }),
  ramGbPerVcpu: Type.Number(),
  price: Type.Object({ securePerVcpu: Type.Number(), serverlessPerVcpu: Type.Number() }),
  availability: Type.Optional(Level),
  dataCenters: Type.Optional(Type.Array(DataCenterAvailability)),
})
export type CpuType = Type.Static<typeof CpuType>

export const ListCpuTypesResponse = Type.Object({ cpus: Type.Array(CpuType) })

export const DataCenter = Type.Object({
  id: Type.String(),
  name: Type.String(),
  region: Enum(DATA_CENTER_REGIONS),
  globalNetwork: Type.Boolean(),
  networkVolumeTypes: Type.Array(Enum(NETWORK_VOLUME_TYPES)),
  compliance: Type.Array(Enum(COMPLIANCE)),
  gpuAvailability: Type.Optional(Type.Array(CatalogResourceAvailability)),
  cpuAvailability: Type.Optional(Type.Array(CatalogResourceAvailability)),
})
export type DataCenter = Type.Static<typeof DataCenter>

export const ListDataCentersResponse = Type.Object({ dataCenters: Type.Array(DataCenter) })

const availabilityOnly = 'Valid only with include=AVAILABILITY (400 otherwise).'

const CatalogInclude = Type.Array(Enum(['AVAILABILITY'] as const), {
  maxItems: 1,
  description: 'Comma-separated optional expansions. Supported value today: AVAILABILITY.',
})

const productParam = <const T extends readonly string[]>(products: T) =>
  Type.Array(Enum(products), {
    description: `Comma-separated availability product contexts: ${products.join(', ')}. Required with include=AVAILABILITY, and valid only with it (400 either way).`,
  })

export const GpuTypesQuery = Type.Object({
  include: Type.Optional(CatalogInclude),
  product: Type.Optional(productParam(PRODUCTS)),
  count: Type.Optional(
    Type.Integer({
      minimum: 1,
      description: `GPU count for availability. Defaults to 1. ${availabilityOnly}`,
    }),
  ),
  cloud: Type.Optional(
    Enum(['SECURE', 'COMMUNITY'] as const, {
      description: `Cloud type for availability. Defaults to SECURE. ${availabilityOnly}`,
    }),
  ),
  countryCodes: Type.Optional(
    Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }), {
      description: `Comma-separated ISO 3166-1 alpha-2 country codes to scope availability to. ${availabilityOnly}`,
    }),
  ),
  cudaVersions: Type.Optional(
    Type.Array(Type.String({ pattern: '^\\d+\\.\\d+$' }), {
      description: `Comma-separated exact CUDA versions (major.minor) to scope availability to. ${availabilityOnly} Not with minCudaVersion.`,
    }),
  ),
  minCudaVersion: Type.Optional(
    Type.String({
      pattern: '^\\d+(\\.\\d+)?$',
      description: `Lowest CUDA version (major or major.minor) to scope availability to. ${availabilityOnly} Not with cudaVersions.`,
    }),
  ),
})
export type GpuTypesQuery = Type.Static<typeof GpuTypesQuery>

export const CpuTypesQuery = Type.Object({
  include: Type.Optional(CatalogInclude),
  product: Type.Optional(productParam(['POD', 'SERVERLESS'] as const)),
  vcpuCount: Type.Optional(
    Type.Integer({
      minimum: 2,
      description: `vCPU count for availability, a power of two. Defaults to 2. ${availabilityOnly}`,
    }),
  ),
})
export type CpuTypesQuery = Type.Static<typeof CpuTypesQuery>

const DataCenterInclude = Type.Array(Enum(['GPU_AVAILABILITY', 'CPU_AVAILABILITY'] as const), {
  description: 'Comma-separated optional expansions: GPU_AVAILABILITY, CPU_AVAILABILITY.',
})

export const DataCenterQuery = Type.Object({ include: Type.Optional(DataCenterInclude) })

export const DataCentersQuery = Type.Object({
  include: Type.Optional(DataCenterInclude),
  regions: Type.Optional(
    Type.Array(Enum(DATA_CENTER_REGIONS), { description: 'Comma-separated regions; any of them matches.' }),
  ),
  networkVolumeTypes: Type.Optional(
    Type.Array(Enum(NETWORK_VOLUME_TYPES), {
      description: 'Comma-separated network volume types; a data center must offer all of them.',
    }),
  ),
  compliance: Type.Optional(
    Type.Array(Enum(COMPLIANCE), {
      description: 'Comma-separated certifications; a data center must hold all of them.',
    }),
  ),
  globalNetwork: Type.Optional(
    Type.Boolean({ description: 'Only data centers with (true) or without (false) global networking.' }),
  ),
})
export type DataCentersQuery = Type.Static<typeof DataCentersQuery>

/** Query parameters that take comma-separated lists. */
export const GPU_LIST_PARAMS = ['include', 'product', 'countryCodes', 'cudaVersions']
export const CPU_LIST_PARAMS = ['include', 'product']
export const DATA_CENTER_LIST_PARAMS = ['include', 'regions', 'networkVolumeTypes', 'compliance']
