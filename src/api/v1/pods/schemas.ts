import Type from 'typebox'
import { CUDA_VERSIONS } from '../../../fleet/catalog-data.js'
import { Extension, MapOf, Nullable, StringEnum } from '../../schema-helpers.js'
import { ENV, NAME, PORTS, STRINGS } from '../shared-schemas.js'
import { Template } from '../templates/schemas.js'

/**
 * v1 pod schemas, following RunPod's OpenAPI spec (spec/runpod-openapi.json). Catalog ids
 * (GPU types, data centers, CPU flavors) are plain strings here and are checked against the
 * live catalog, so operators can add types the spec does not list.
 */

const PRIORITY = StringEnum(['availability', 'custom'] as const)

export const GpuInfo = Type.Object({
  id: Type.String(),
  count: Type.Integer({ description: 'The number of GPUs attached to a Pod.' }),
  displayName: Type.String(),
  securePrice: Type.Number(),
  communityPrice: Type.Number(),
  oneMonthPrice: Type.Number(),
  threeMonthPrice: Type.Number(),
  sixMonthPrice: Type.Number(),
  oneWeekPrice: Type.Number(),
  communitySpotPrice: Type.Number(),
  secureSpotPrice: Type.Number(),
})

export const CpuTypeInfo = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  cores: Type.Number(),
  threadsPerCore: Type.Number(),
  groupId: Type.String(),
})

export const Machine = Type.Object({
  minPodGpuCount: Type.Integer(),
  gpuTypeId: Type.Optional(Type.String()),
  gpuType: Type.Optional(GpuInfo),
  cpuCount: Type.Integer(),
  cpuTypeId: Type.String(),
  cpuType: CpuTypeInfo,
  location: Type.String(),
  dataCenterId: Type.String(),
  diskThroughputMBps: Type.Integer(),
  maxDownloadSpeedMbps: Type.Integer(),
  maxUploadSpeedMbps: Type.Integer(),
  supportPublicIp: Type.Boolean(),
  secureCloud: Type.Boolean(),
  maintenanceStart: Type.Optional(Type.String()),
  maintenanceEnd: Type.Optional(Type.String()),
  maintenanceNote: Type.Optional(Type.String()),
  note: Type.Optional(Type.String()),
  costPerHr: Type.Number(),
  currentPricePerGpu: Type.Number(),
  gpuAvailable: Type.Integer(),
  gpuDisplayName: Type.Optional(Type.String()),
})

export const PodNetworkVolume = Type.Object({
  id: Type.String(),
  name: Type.String(),
  size: Type.Integer(),
  dataCenterId: Type.String(),
})

export const SavingsPlan = Type.Object({
  costPerHr: Type.Number(),
  endTime: Type.String(),
  gpuTypeId: Type.String(),
  id: Type.String(),
  podId: Type.String(),
  startTime: Type.String(),
})

/**
 * RunPod's `Pod`. Ids that are absent (templateId, endpointId, aiApiId, …) are left out rather
 * than sent as null: the spec types them as plain strings, and podplane follows the schema.
 */
export const Pod = Type.Object({
  adjustedCostPerHr: Type.Number(),
  aiApiId: Type.Optional(Type.String()),
  consumerUserId: Type.String(),
  containerDiskInGb: Type.Integer(),
  containerRegistryAuthId: Type.Optional(Type.String()),
  // The spec's example shows a string ("0.74"); its schema says number, which is what Go clients decode.
  costPerHr: Type.Number(),
  cpuFlavorId: Type.Optional(Type.String()),
  desiredStatus: StringEnum(['RUNNING', 'EXITED', 'TERMINATED'] as const),
  dockerEntrypoint: STRINGS,
  dockerStartCmd: STRINGS,
  endpointId: Type.Optional(Type.String()),
  env: ENV,
  gpu: Type.Optional(GpuInfo),
  id: Type.String(),
  image: Type.String(),
  interruptible: Type.Boolean(),
  lastStartedAt: Type.Optional(Type.String()),
  lastStatusChange: Type.String(),
  locked: Type.Boolean(),
  machine: Type.Optional(Machine),
  machineId: Type.String(),
  memoryInGb: Type.Integer(),
  name: Type.String(),
  networkVolume: Type.Optional(PodNetworkVolume),
  portMappings: Nullable(MapOf(Type.Integer())),
  ports: PORTS,
  publicIp: Nullable(Type.String()),
  savingsPlans: Type.Optional(Type.Array(SavingsPlan)),
  slsVersion: Type.Integer(),
  template: Type.Optional(
    Extension(Template, 'The template the Pod was created from, with includeTemplate=true.'),
  ),
  templateId: Type.Optional(Type.String()),
  vcpuCount: Type.Integer(),
  volumeEncrypted: Type.Boolean(),
  volumeInGb: Type.Integer(),
  volumeMountPath: Type.String(),
})
export type Pod = Type.Static<typeof Pod>

export const Pods = Type.Array(Pod)

const CUDA = Type.Array(StringEnum(CUDA_VERSIONS))

export const PodCreateInput = Type.Object({
  allowedCudaVersions: Type.Optional(CUDA),
  // "ALL" is not in the v1 enum; RunPod's GraphQL API accepts it and so does podplane.
  cloudType: Type.Optional(StringEnum(['SECURE', 'COMMUNITY', 'ALL'] as const, { default: 'SECURE' })),
  computeType: Type.Optional(StringEnum(['GPU', 'CPU'] as const, { default: 'GPU' })),
  containerDiskInGb: Type.Optional(Nullable(Type.Integer({ minimum: 1, default: 50 }))),
  containerRegistryAuthId: Type.Optional(Type.String()),
  countryCodes: Type.Optional(STRINGS),
  cpuFlavorIds: Type.Optional(STRINGS),
  cpuFlavorPriority: Type.Optional(PRIORITY),
  dataCenterIds: Type.Optional(STRINGS),
  dataCenterPriority: Type.Optional(PRIORITY),
  dockerEntrypoint: Type.Optional(STRINGS),
  dockerStartCmd: Type.Optional(STRINGS),
  env: Type.Optional(ENV),
  globalNetworking: Type.Optional(Type.Boolean()),
  gpuCount: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  gpuTypeIds: Type.Optional(STRINGS),
  gpuTypePriority: Type.Optional(PRIORITY),
  imageName: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  interruptible: Type.Optional(Type.Boolean()),
  locked: Type.Optional(Type.Boolean()),
  minDiskBandwidthMBps: Type.Optional(Type.Number({ minimum: 0 })),
  minDownloadMbps: Type.Optional(Type.Number({ minimum: 0 })),
  minRAMPerGPU: Type.Optional(Type.Integer({ minimum: 0, default: 8 })),
  minUploadMbps: Type.Optional(Type.Number({ minimum: 0 })),
  minVCPUPerGPU: Type.Optional(Type.Integer({ minimum: 0, default: 2 })),
  name: Type.Optional(NAME),
  networkVolumeId: Type.Optional(Type.String({ maxLength: 191 })),
  ports: Type.Optional(PORTS),
  supportPublicIp: Type.Optional(Type.Boolean()),
  templateId: Type.Optional(Type.String({ maxLength: 191 })),
  vcpuCount: Type.Optional(Type.Integer({ minimum: 1, default: 2 })),
  // Not in RunPod's input schema, though its Pod says it "can only be set when creating a Pod".
  volumeEncrypted: Type.Optional(
    Extension(Type.Boolean(), 'Encrypt the Pod volume; can only be set at creation.'),
  ),
  volumeInGb: Type.Optional(Nullable(Type.Integer({ minimum: 0, default: 20 }))),
  volumeMountPath: Type.Optional(Type.String({ maxLength: 1024, default: '/workspace' })),
})
export type PodCreateInput = Type.Static<typeof PodCreateInput>

export const PodUpdateInput = Type.Object(
  {
    containerDiskInGb: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    containerRegistryAuthId: Type.Optional(Type.String()),
    dockerEntrypoint: Type.Optional(STRINGS),
    dockerStartCmd: Type.Optional(STRINGS),
    env: Type.Optional(ENV),
    globalNetworking: Type.Optional(Type.Boolean()),
    imageName: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
    locked: Type.Optional(Type.Boolean()),
    name: Type.Optional(NAME),
    ports: Type.Optional(PORTS),
    volumeInGb: Type.Optional(Nullable(Type.Integer({ minimum: 0 }))),
    volumeMountPath: Type.Optional(Type.String({ maxLength: 1024 })),
  },
  { description: 'Input for updating a Pod which will trigger a reset.' },
)
export type PodUpdateInput = Type.Static<typeof PodUpdateInput>

const includes = {
  includeMachine: Type.Optional(Type.Boolean({ default: false })),
  includeNetworkVolume: Type.Optional(Type.Boolean({ default: false })),
  includeSavingsPlans: Type.Optional(Type.Boolean({ default: false })),
  includeTemplate: Type.Optional(Type.Boolean({ default: false })),
  includeWorkers: Type.Optional(Type.Boolean({ default: false })),
}

/** GET /pods: the 16 query parameters of RunPod's ListPods. Unknown parameters are ignored. */
export const ListPodsQuery = Type.Object({
  computeType: Type.Optional(StringEnum(['GPU', 'CPU'] as const)),
  cpuFlavorId: Type.Optional(STRINGS),
  dataCenterId: Type.Optional(STRINGS),
  desiredStatus: Type.Optional(StringEnum(['RUNNING', 'EXITED', 'TERMINATED'] as const)),
  endpointId: Type.Optional(Type.String({ maxLength: 191 })),
  gpuTypeId: Type.Optional(STRINGS),
  id: Type.Optional(Type.String({ maxLength: 191 })),
  imageName: Type.Optional(Type.String({ maxLength: 1024 })),
  ...includes,
  name: Type.Optional(Type.String({ maxLength: 191 })),
  networkVolumeId: Type.Optional(Type.String({ maxLength: 191 })),
  templateId: Type.Optional(Type.String({ maxLength: 191 })),
})
export type ListPodsQuery = Type.Static<typeof ListPodsQuery>

/** Query parameters that take several values (repeated keys or one comma-separated value). */
export const LIST_PODS_ARRAY_PARAMS = ['cpuFlavorId', 'dataCenterId', 'gpuTypeId'] as const

export const GetPodQuery = Type.Object(includes)
export type GetPodQuery = Type.Static<typeof GetPodQuery>

export const PodIdParams = Type.Object({ podId: Type.String({ maxLength: 191 }) })
