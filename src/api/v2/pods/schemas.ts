import Type from 'typebox'
import { CLUSTER_ROLES } from '../../../domain/cluster.js'
import { POD_STATUSES } from '../../../domain/pod.js'
import { Enum, NAME, OrNull, StringMap } from '../common.js'

/**
 * v2 pod schemas, following RunPod's REST v2 spec (spec/runpod-openapi-v2.json): `Pod`,
 * `CreatePodRequest`, `UpdatePodRequest`, `PodActionRequest`, `ListPodsResponse`. Request
 * objects are closed, so an unknown field is a 422 naming it. Catalog ids are checked against
 * the live catalog rather than fixed enums.
 */

export const V2_POD_ACTIONS = ['start', 'stop', 'restart', 'terminate'] as const
export type V2PodAction = (typeof V2_POD_ACTIONS)[number]

const CLOUD = Enum(['SECURE', 'COMMUNITY'] as const)
const CUDA = Type.String({ pattern: '^\\d+\\.\\d+$' })
const PATH = Type.String({ minLength: 1, maxLength: 1024 })
const PORTS = Type.Array(Type.String({ maxLength: 16 }), { maxItems: 64 })
const IMAGE = Type.String({ minLength: 1, maxLength: 1024 })
const ARGS = Type.String({ maxLength: 32_768 })

const PersistentMount = Type.Object(
  { size: Type.Integer({ minimum: 10, maximum: 100_000 }), path: PATH },
  { additionalProperties: false },
)
const NetworkMount = Type.Object(
  { volumeId: Type.String({ minLength: 1, maxLength: 191 }), path: PATH },
  { additionalProperties: false },
)
export const Mounts = Type.Object(
  {
    persistent: Type.Optional(PersistentMount),
    network: Type.Optional(Type.Array(NetworkMount, { maxItems: 1 })),
  },
  { additionalProperties: false },
)

/** The container settings every v2 pod body shares (ContainerConfig). */
export const containerFields = {
  image: Type.Optional(IMAGE),
  args: Type.Optional(ARGS),
  disk: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
  env: Type.Optional(StringMap),
  ports: Type.Optional(PORTS),
  registry: Type.Optional(OrNull(Type.String({ maxLength: 191 }))),
}

export const CreatePodBody = Type.Object(
  {
    ...containerFields,
    name: NAME,
    cloud: Type.Optional(CLOUD),
    gpu: Type.Optional(
      Type.Object(
        {
          id: Type.String({ minLength: 1, maxLength: 191 }),
          count: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
          allowedCudaVersions: Type.Optional(Type.Array(CUDA, { maxItems: 64 })),
          minCudaVersion: Type.Optional(CUDA),
        },
        { additionalProperties: false },
      ),
    ),
    cpu: Type.Optional(
      Type.Object(
        {
          id: Type.String({ minLength: 1, maxLength: 191 }),
          vcpuCount: Type.Integer({ minimum: 2, maximum: 1024 }),
        },
        { additionalProperties: false },
      ),
    ),
    dataCenterIds: Type.Optional(Type.Array(Type.String({ maxLength: 191 }), { maxItems: 64 })),
    globalNetworking: Type.Optional(Type.Boolean()),
    mounts: Type.Optional(Mounts),
    startJupyter: Type.Optional(Type.Boolean()),
    startSsh: Type.Optional(Type.Boolean()),
    templateId: Type.Optional(Type.String({ minLength: 1, maxLength: 191 })),
  },
  {
    additionalProperties: false,
    // `image` is required unless a template provides it (JSON Schema's if/then, as RunPod's spec).
    if: { not: { required: ['templateId'] } },
    // biome-ignore lint/suspicious/noThenProperty: a JSON Schema keyword, not a thenable
    then: { required: ['image'] },
  },
)
export type CreatePodBody = Type.Static<typeof CreatePodBody>

export const UpdatePodBody = Type.Object(
  {
    ...containerFields,
    name: Type.Optional(NAME),
    globalNetworking: Type.Optional(Type.Boolean()),
    locked: Type.Optional(Type.Boolean()),
    mounts: Type.Optional(Mounts),
    templateId: Type.Optional(Type.String({ minLength: 1, maxLength: 191 })),
  },
  { additionalProperties: false },
)
export type UpdatePodBody = Type.Static<typeof UpdatePodBody>

export const PodActionBody = Type.Object({ action: Enum(V2_POD_ACTIONS) }, { additionalProperties: false })

const SshEndpoint = Type.Object({
  host: Type.String(),
  port: Type.Integer(),
  username: Type.String(),
  command: Type.String(),
})

const Utilization = Type.Object({ util: Type.Integer() })

export const PodRuntime = Type.Object({
  uptime: Type.Integer(),
  gpus: Type.Array(Type.Object({ util: Type.Integer(), memoryUtil: Type.Integer() })),
  cpu: Utilization,
  memory: Utilization,
  ports: Type.Array(
    Type.Object({
      private: Type.Integer(),
      public: OrNull(Type.Integer()),
      type: Type.String(),
      ip: OrNull(Type.String()),
    }),
  ),
})

export const Pod = Type.Object({
  id: Type.String(),
  name: Type.String(),
  status: Enum(POD_STATUSES),
  actions: Type.Array(Enum(V2_POD_ACTIONS)),
  image: Type.String(),
  args: Type.String(),
  disk: Type.Integer(),
  mounts: Mounts,
  ports: Type.Array(Type.String()),
  env: StringMap,
  registry: OrNull(Type.String()),
  gpu: Type.Optional(Type.Object({ id: Type.String(), count: Type.Integer() })),
  cpu: Type.Optional(Type.Object({ id: Type.String(), vcpuCount: Type.Integer(), memory: Type.Integer() })),
  cloud: CLOUD,
  dataCenterId: OrNull(Type.String()),
  cudaVersion: OrNull(Type.String()),
  ssh: Type.Object({ proxy: OrNull(SshEndpoint), direct: OrNull(SshEndpoint) }),
  /** Cluster membership (PodCluster); omitted from a standalone pod. */
  cluster: Type.Optional(
    Type.Object({
      id: Type.String(),
      rank: OrNull(Type.Integer()),
      role: Type.Optional(Enum(CLUSTER_ROLES)),
      ip: Type.Optional(Type.String()),
    }),
  ),
  template: OrNull(Type.String()),
  cost: Type.Number(),
  locked: Type.Boolean(),
  globalNetworking: Type.Object({
    enabled: Type.Boolean(),
    ip: Type.Optional(Type.String()),
    internalDns: Type.Optional(Type.String()),
  }),
  runtime: OrNull(PodRuntime),
  createdAt: Type.String({ format: 'date-time' }),
  startedAt: OrNull(Type.String({ format: 'date-time' })),
})
export type Pod = Type.Static<typeof Pod>

export const ListPodsQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 1000, default: 1000 }),
  cursor: Type.Optional(Type.String({ maxLength: 512 })),
  includeClusterPods: Type.Boolean({ default: false }),
})

export const ListPodsResponse = Type.Object({
  pods: Type.Array(Pod),
  pagination: Type.Object({ nextCursor: OrNull(Type.String()), hasNextPage: Type.Boolean() }),
})
