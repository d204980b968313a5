import Type from 'typebox'
import { Nullable, StringEnum } from '../schema-helpers.js'

const ID = Type.String({ minLength: 1, maxLength: 191 })
const TIME = Nullable(Type.String({ format: 'date-time' }))

export const AdminMachine = Type.Object({
  id: Type.String(),
  state: StringEnum(['ready', 'cordoned', 'maintenance', 'failed'] as const),
  driver: Type.String(),
  dataCenterId: Type.String(),
  location: Type.String(),
  countryCode: Type.String(),
  secureCloud: Type.Boolean(),
  gpuTypeId: Nullable(Type.String()),
  gpuCount: Type.Integer(),
  gpuUsed: Type.Integer(),
  gpuAvailable: Type.Integer(),
  cpuFlavorId: Nullable(Type.String()),
  cpuTypeId: Type.String(),
  vcpuCount: Type.Integer(),
  vcpuUsed: Type.Integer(),
  memoryInGb: Type.Integer(),
  memoryUsedInGb: Type.Integer(),
  diskInGb: Type.Integer(),
  diskUsedInGb: Type.Integer(),
  diskThroughputMBps: Type.Integer(),
  uploadMbps: Type.Integer(),
  downloadMbps: Type.Integer(),
  cudaVersion: Nullable(Type.String()),
  supportPublicIp: Type.Boolean(),
  publicIp: Nullable(Type.String()),
  minPodGpuCount: Type.Integer(),
  pricePerGpu: Type.Number({ description: 'On-demand price per GPU-hour in effect here.' }),
  pricePerGpuOverride: Nullable(Type.Number()),
  cordoned: Type.Boolean(),
  failedAt: TIME,
  failureNote: Nullable(Type.String()),
  maintenanceStart: TIME,
  maintenanceEnd: TIME,
  maintenanceNote: Nullable(Type.String()),
  note: Nullable(Type.String()),
  podCount: Type.Integer({ description: 'Live pods placed here, running or stopped.' }),
  createdAt: Type.String({ format: 'date-time' }),
  agent: Nullable(
    Type.Object(
      {
        hostname: Type.String(),
        runtime: Type.String({ description: 'The container runtime and its version.' }),
        agentVersion: Type.String(),
        lastHeartbeatAt: TIME,
        runtimeError: Nullable(Type.String({ description: 'Set while the runtime does not answer.' })),
      },
      { description: 'The `podplane agent` running this machine; null for simulated machines.' },
    ),
  ),
})

export const MachineListQuery = Type.Object({
  dataCenterId: Type.Optional(Type.Array(Type.String())),
  gpuTypeId: Type.Optional(Type.Array(Type.String())),
  state: Type.Optional(StringEnum(['ready', 'cordoned', 'maintenance', 'failed'] as const)),
  driver: Type.Optional(Type.String({ maxLength: 32 })),
})

export const MachineCreate = Type.Object(
  {
    id: Type.Optional(Type.String({ pattern: '^[a-z0-9][a-z0-9-]{2,62}$' })),
    dataCenterId: ID,
    secureCloud: Type.Optional(Type.Boolean({ default: true })),
    gpuTypeId: Type.Optional(ID),
    gpuCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
    cpuFlavorId: Type.Optional(ID),
    cpuTypeId: Type.Optional(ID),
    vcpuCount: Type.Integer({ minimum: 1, maximum: 4096 }),
    memoryInGb: Type.Integer({ minimum: 1, maximum: 65_536 }),
    diskInGb: Type.Integer({ minimum: 1, maximum: 1_000_000 }),
    diskThroughputMBps: Type.Optional(Type.Integer({ minimum: 1 })),
    uploadMbps: Type.Optional(Type.Integer({ minimum: 1 })),
    downloadMbps: Type.Optional(Type.Integer({ minimum: 1 })),
    cudaVersion: Type.Optional(Type.String({ pattern: '^\\d+\\.\\d+$' })),
    supportPublicIp: Type.Optional(Type.Boolean()),
    publicIp: Type.Optional(Type.String({ format: 'ipv4' })),
    minPodGpuCount: Type.Optional(Type.Integer({ minimum: 1 })),
    pricePerGpu: Type.Optional(Type.Number({ minimum: 0 })),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
)

export const MachineUpdate = Type.Object(
  {
    pricePerGpu: Type.Optional(Nullable(Type.Number({ minimum: 0 }))),
    note: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    maintenanceStart: Type.Optional(TIME),
    maintenanceEnd: Type.Optional(TIME),
    maintenanceNote: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))),
    minPodGpuCount: Type.Optional(Type.Integer({ minimum: 1 })),
  },
  { additionalProperties: false, minProperties: 1 },
)

export const Reason = Type.Object(
  {
    reason: Type.Optional(Type.String({ maxLength: 500 })),
    move: Type.Optional(
      Type.Boolean({ description: 'drain only: move running pods instead of stopping them' }),
    ),
  },
  { additionalProperties: false },
)

export const MachineIdParams = Type.Object({ machineId: ID })

export const GpuType = Type.Object({
  id: Type.String(),
  displayName: Type.String(),
  manufacturer: Type.String(),
  memoryInGb: Type.Integer(),
  securePrice: Type.Number(),
  communityPrice: Type.Number(),
  secureSpotPrice: Type.Number(),
  communitySpotPrice: Type.Number(),
  oneWeekPrice: Type.Number(),
  oneMonthPrice: Type.Number(),
  threeMonthPrice: Type.Number(),
  sixMonthPrice: Type.Number(),
  maxGpuCount: Type.Integer(),
})

const PRICE = Type.Number({ minimum: 0, maximum: 1000 })
const prices = {
  secureSpotPrice: Type.Optional(PRICE),
  communitySpotPrice: Type.Optional(PRICE),
  oneWeekPrice: Type.Optional(PRICE),
  oneMonthPrice: Type.Optional(PRICE),
  threeMonthPrice: Type.Optional(PRICE),
  sixMonthPrice: Type.Optional(PRICE),
}

export const GpuTypeCreate = Type.Object(
  {
    id: ID,
    displayName: Type.String({ minLength: 1, maxLength: 100 }),
    manufacturer: Type.Optional(Type.String({ maxLength: 50 })),
    memoryInGb: Type.Integer({ minimum: 1, maximum: 10_000 }),
    securePrice: PRICE,
    communityPrice: PRICE,
    maxGpuCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
    ...prices,
  },
  { additionalProperties: false },
)

export const GpuTypeUpdate = Type.Object(
  {
    displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    securePrice: Type.Optional(PRICE),
    communityPrice: Type.Optional(PRICE),
    ...prices,
  },
  { additionalProperties: false, minProperties: 1 },
)

export const DataCenter = Type.Object({
  id: Type.String(),
  name: Type.String(),
  location: Type.String(),
  countryCode: Type.String(),
  globalNetworking: Type.Boolean(),
})

export const DataCenterCreate = Type.Object(
  {
    id: Type.String({ pattern: '^[A-Z0-9][A-Z0-9-]{1,31}$' }),
    name: Type.Optional(Type.String({ maxLength: 100 })),
    location: Type.String({ minLength: 1, maxLength: 100 }),
    countryCode: Type.String({ pattern: '^[A-Za-z]{2}$' }),
    globalNetworking: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)

export const DataCenterUpdate = Type.Object(
  {
    name: Type.Optional(Type.String({ maxLength: 100 })),
    location: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    countryCode: Type.Optional(Type.String({ pattern: '^[A-Za-z]{2}$' })),
    globalNetworking: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1 },
)

const RATE_LIMIT = Nullable(Type.Integer({ minimum: 1 }))

export const User = Type.Object({
  id: Type.String(),
  createdAt: Type.String({ format: 'date-time' }),
  disabled: Type.Boolean(),
  disabledAt: TIME,
  liveKeys: Type.Integer(),
  runningPods: Type.Integer(),
  runningCostPerHr: Type.Number(),
  rateLimits: Type.Object(
    { minute: RATE_LIMIT, hour: RATE_LIMIT, day: RATE_LIMIT },
    { description: "The user's own v2 request quotas per window; null where the server's default applies." },
  ),
})

export const RateLimitsUpdate = Type.Object(
  { minute: Type.Optional(RATE_LIMIT), hour: Type.Optional(RATE_LIMIT), day: Type.Optional(RATE_LIMIT) },
  { additionalProperties: false },
)

export const UserUsage = Type.Object({
  ...User.properties,
  startTime: Type.String({ format: 'date-time' }),
  endTime: Type.String({ format: 'date-time' }),
  spend: Type.Object({
    pods: Type.Number(),
    endpoints: Type.Number(),
    networkVolumes: Type.Number(),
    total: Type.Number(),
  }),
})

export const UserIdParams = Type.Object({ userId: ID })

export const Clock = Type.Object({
  now: Type.String({ format: 'date-time' }),
  mode: StringEnum(['real', 'scaled', 'manual'] as const),
  speed: Type.Number(),
})
