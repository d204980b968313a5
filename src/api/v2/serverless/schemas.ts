import Type from 'typebox'
import { Enum, NAME, OrNull, StringMap } from '../common.js'

/**
 * v2 serverless schemas, following RunPod's REST v2 spec (spec/runpod-openapi-v2.json):
 * `Endpoint`, `CreateEndpointRequest`, `UpdateEndpointRequest`, `ListEndpointWorkersResponse`,
 * `ListEndpointReleasesResponse`. Request objects are closed, so an unknown field is a 422 naming
 * it; catalog ids (pools, flavors, data centers) are checked against the live catalog.
 */

export const ENDPOINT_TYPES = ['QUEUE', 'LOAD_BALANCER'] as const
export const FLASHBOOT_MODES = ['OFF', 'FLASHBOOT', 'PRIORITY_FLASHBOOT'] as const
export const WORKER_STATUSES = ['RUNNING', 'IDLE', 'INITIALIZING', 'THROTTLED', 'UNHEALTHY'] as const

const ID = Type.String({ minLength: 1, maxLength: 191 })
const IDS = Type.Array(ID, { maxItems: 64 })
const CUDA = Type.String({ pattern: '^\\d+\\.\\d+$' })
const STRINGS = Type.Array(Type.String())

const containerFields = {
  image: Type.Optional(Type.String({ minLength: 1, maxLength: 1024 })),
  args: Type.Optional(Type.String({ maxLength: 32_768 })),
  disk: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  env: Type.Optional(StringMap),
  ports: Type.Optional(Type.Array(Type.String({ maxLength: 16 }), { maxItems: 64 })),
  registry: Type.Optional(OrNull(Type.String({ maxLength: 191 }))),
}

const QueueDelayScaling = Type.Object(
  { type: Enum(['QUEUE_DELAY'] as const), queueDelay: Type.Number({ minimum: 0.5, maximum: 3600 }) },
  { additionalProperties: false },
)
const RequestCountScaling = Type.Object(
  { type: Enum(['REQUEST_COUNT'] as const), requestCount: Type.Integer({ minimum: 1, maximum: 1000 }) },
  { additionalProperties: false },
)
const Scaling = Type.Union([QueueDelayScaling, RequestCountScaling])

const Workers = Type.Object(
  {
    min: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    max: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
    idleTimeout: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600 })),
  },
  { additionalProperties: false },
)

const gpuFields = {
  excludedTypes: Type.Optional(
    Type.Array(Type.String({ pattern: '^\\s*[^-\\s]', maxLength: 191 }), { uniqueItems: true, maxItems: 64 }),
  ),
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
  allowedCudaVersions: Type.Optional(Type.Array(CUDA, { maxItems: 64 })),
}
const Pools = Type.Array(ID, { minItems: 1, maxItems: 64 })

const CpuConfigs = Type.Array(
  Type.Object(
    { id: ID, vcpuCount: Type.Integer({ minimum: 2, maximum: 512 }) },
    { additionalProperties: false },
  ),
  { minItems: 1, maxItems: 16, uniqueItems: true },
)

const common = {
  dataCenterIds: Type.Optional(IDS),
  flashboot: Type.Optional(Enum(FLASHBOOT_MODES)),
  networkVolumes: Type.Optional(IDS),
  timeout: Type.Optional(Type.Integer({ minimum: 1000, maximum: 7 * 24 * 3_600_000 })),
  workers: Type.Optional(Workers),
  cpu: Type.Optional(CpuConfigs),
}

export const CreateEndpointBody = Type.Object(
  {
    ...containerFields,
    ...common,
    name: NAME,
    type: Enum(ENDPOINT_TYPES),
    scaling: Scaling,
    templateId: Type.Optional(ID),
    gpu: Type.Optional(
      Type.Object(
        { ...gpuFields, pools: Pools, minCudaVersion: Type.Optional(CUDA) },
        { additionalProperties: false },
      ),
    ),
  },
  {
    additionalProperties: false,
    allOf: [
      // `image` is required unless a template provides it (JSON Schema's if/then, as RunPod's spec).
      // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword, not a thenable
      { if: { not: { required: ['templateId'] } }, then: { required: ['image'] } },
      // A load balancer scales on requests; queue delay is for queue-based endpoints only.
      {
        if: { required: ['type'], properties: { type: { const: 'LOAD_BALANCER' } } },
        // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword, not a thenable
        then: { properties: { scaling: RequestCountScaling } },
      },
    ],
  },
)
export type CreateEndpointBody = Type.Static<typeof CreateEndpointBody>

export const UpdateEndpointBody = Type.Object(
  {
    ...containerFields,
    ...common,
    name: Type.Optional(NAME),
    scaling: Type.Optional(Scaling),
    templateId: Type.Optional(ID),
    gpu: Type.Optional(
      Type.Object(
        {
          ...gpuFields,
          pools: Type.Optional(Pools),
          // An empty string clears the floor.
          minCudaVersion: Type.Optional(Type.String({ pattern: '^$|^\\d+\\.\\d+$' })),
        },
        // Exclusions narrow the pools they come with (draft-07 spelling of dependentRequired).
        { additionalProperties: false, dependencies: { excludedTypes: ['pools'] } },
      ),
    ),
  },
  { additionalProperties: false },
)
export type UpdateEndpointBody = Type.Static<typeof UpdateEndpointBody>

const Uri = Type.String({ format: 'uri' })

export const Endpoint = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Enum(ENDPOINT_TYPES),
  requestUrls: Type.Union([
    Type.Object(
      {
        run: Uri,
        runSync: Uri,
        status: Uri,
        stream: Uri,
        cancel: Uri,
        retry: Uri,
        purgeQueue: Uri,
        health: Uri,
      },
      { additionalProperties: false },
    ),
    Type.Object({ base: Uri, health: Uri }, { additionalProperties: false }),
  ]),
  image: Type.Optional(Type.String()),
  args: Type.Optional(Type.String()),
  disk: Type.Optional(Type.Integer()),
  ports: Type.Optional(STRINGS),
  env: Type.Optional(StringMap),
  registry: Type.Optional(OrNull(Type.String())),
  gpu: Type.Optional(
    Type.Object({
      pools: STRINGS,
      excludedTypes: Type.Optional(STRINGS),
      count: Type.Integer(),
      allowedCudaVersions: STRINGS,
      minCudaVersion: OrNull(Type.String()),
    }),
  ),
  cpu: Type.Optional(
    Type.Array(Type.Object({ id: Type.String(), vcpuCount: Type.Integer(), memory: Type.Integer() })),
  ),
  workers: Type.Object({
    min: Type.Integer(),
    max: Type.Integer(),
    idleTimeout: Type.Optional(Type.Integer()),
  }),
  scaling: Scaling,
  dataCenterIds: STRINGS,
  networkVolumes: STRINGS,
  timeout: Type.Integer(),
  flashboot: Enum(FLASHBOOT_MODES),
  createdAt: Type.String({ format: 'date-time' }),
})
export type Endpoint = Type.Static<typeof Endpoint>

export const ListEndpointsResponse = Type.Object({ endpoints: Type.Array(Endpoint) })

export const Worker = Type.Object({
  id: Type.String(),
  status: Enum(WORKER_STATUSES),
  isStale: Type.Boolean(),
  version: OrNull(Type.Integer()),
  gpuCount: Type.Integer(),
  image: OrNull(Type.String()),
  uptimeSeconds: OrNull(Type.Integer()),
  gpuTypeId: OrNull(Type.String()),
  dataCenterId: OrNull(Type.String()),
  startedAt: OrNull(Type.String({ format: 'date-time' })),
})
export type Worker = Type.Static<typeof Worker>

export const ListEndpointWorkersResponse = Type.Object({
  workers: Type.Array(Worker),
  summary: Type.Object({
    running: Type.Integer(),
    idle: Type.Integer(),
    initializing: Type.Integer(),
    throttled: Type.Integer(),
    unhealthy: Type.Integer(),
    total: Type.Integer(),
  }),
  endpointVersion: OrNull(Type.Integer()),
})
export type ListEndpointWorkersResponse = Type.Static<typeof ListEndpointWorkersResponse>

export const ListEndpointReleasesResponse = Type.Object({
  endpointVersion: OrNull(Type.Integer()),
  rollout: Type.Object({
    inProgress: Type.Boolean(),
    workersOnLatest: Type.Integer(),
    workersTotal: Type.Integer(),
    percentOnLatest: Type.Integer(),
  }),
  releases: Type.Array(
    Type.Object({
      id: Type.String(),
      version: OrNull(Type.Integer()),
      source: Enum(['GIT_BUILD', 'MANUAL'] as const),
      buildId: OrNull(Type.String()),
      createdByUserId: OrNull(Type.String()),
      workerCount: Type.Integer(),
      createdAt: Type.String({ format: 'date-time' }),
      diff: Type.Array(Type.Object({ field: Type.String(), old: Type.Unknown(), new: Type.Unknown() })),
    }),
  ),
})
export type ListEndpointReleasesResponse = Type.Static<typeof ListEndpointReleasesResponse>

export const WorkerParams = Type.Object({ id: ID, workerId: ID })
