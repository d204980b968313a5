import Type from 'typebox'
import { CLUSTER_TYPES, MAX_CLUSTER_PODS, MIN_CLUSTER_PODS } from '../../../domain/cluster.js'
import { POD_STATUSES } from '../../../domain/pod.js'
import { Enum, NAME } from '../common.js'
import { containerFields, Mounts } from '../pods/schemas.js'

/**
 * v2 Instant Cluster schemas, following RunPod's REST v2 spec (spec/runpod-openapi-v2.json):
 * `Cluster`, `ClusterCompute`, `CreateClusterRequest`, `UpdateClusterRequest`,
 * `ListClustersResponse`. The spec's create body is `allOf` + `unevaluatedProperties: false`;
 * here it is one closed object with the same fields, so an unknown field is a 422 naming it.
 * Clusters take no `registry` (BaseContainerConfig): private registries are not supported yet.
 */

const { registry: _noRegistry, ...baseContainerFields } = containerFields

export const ClusterCompute = Type.Object(
  {
    gpuTypeId: Type.String({ minLength: 1, maxLength: 191 }),
    gpuCountPerPod: Type.Integer({ minimum: 1, maximum: 64 }),
    podCount: Type.Integer({ minimum: MIN_CLUSTER_PODS, maximum: MAX_CLUSTER_PODS }),
  },
  { additionalProperties: false },
)

export const CreateClusterBody = Type.Object(
  {
    ...baseContainerFields,
    name: NAME,
    type: Enum(CLUSTER_TYPES),
    compute: ClusterCompute,
    dataCenterIds: Type.Optional(Type.Array(Type.String({ maxLength: 191 }), { maxItems: 64 })),
    mounts: Type.Optional(Mounts),
    startJupyter: Type.Optional(Type.Boolean()),
    startSsh: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
)
export type CreateClusterBody = Type.Static<typeof CreateClusterBody>

export const UpdateClusterBody = Type.Object(
  { name: Type.Optional(NAME) },
  { additionalProperties: false, minProperties: 1 },
)
export type UpdateClusterBody = Type.Static<typeof UpdateClusterBody>

const PodStatus = Enum(POD_STATUSES)

export const Cluster = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Enum(CLUSTER_TYPES),
  compute: ClusterCompute,
  template: Type.Optional(Type.String()),
  dataCenterId: Type.Optional(Type.String()),
  pods: Type.Object({
    total: Type.Integer(),
    byStatus: Type.Unsafe<Partial<Record<(typeof POD_STATUSES)[number], number>>>({
      type: 'object',
      additionalProperties: { type: 'integer' },
    }),
  }),
  network: Type.Optional(
    Type.Object({
      cidr: Type.String(),
      vxlanId: Type.Optional(Type.Integer()),
      vxlanPort: Type.Optional(Type.Integer()),
    }),
  ),
  primary: Type.Optional(
    Type.Object({
      podId: Type.String(),
      status: PodStatus,
      sshEndpoint: Type.Optional(Type.String()),
    }),
  ),
  createdAt: Type.String({ format: 'date-time' }),
})
export type Cluster = Type.Static<typeof Cluster>

export const ListClustersResponse = Type.Object({ clusters: Type.Array(Cluster) })
