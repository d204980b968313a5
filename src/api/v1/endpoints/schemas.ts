import Type from 'typebox'
import { CUDA_VERSIONS } from '../../../fleet/catalog-data.js'
import { StringEnum } from '../../schema-helpers.js'
import { Pod } from '../pods/schemas.js'
import { ENV, ID, NAME, STRINGS } from '../shared-schemas.js'
import { Template } from '../templates/schemas.js'

const CUDA = StringEnum(CUDA_VERSIONS)
const SCALER = StringEnum(['QUEUE_DELAY', 'REQUEST_COUNT'] as const)

export const Endpoint = Type.Object({
  allowedCudaVersions: Type.Array(CUDA),
  computeType: StringEnum(['CPU', 'GPU'] as const),
  createdAt: Type.String(),
  dataCenterIds: STRINGS,
  env: ENV,
  executionTimeoutMs: Type.Integer(),
  gpuCount: Type.Integer(),
  gpuTypeIds: STRINGS,
  id: Type.String(),
  idleTimeout: Type.Integer(),
  instanceIds: STRINGS,
  minCudaVersion: Type.Optional(CUDA),
  name: Type.String(),
  networkVolumeId: Type.Optional(Type.String()),
  networkVolumeIds: STRINGS,
  scalerType: SCALER,
  scalerValue: Type.Integer(),
  template: Type.Optional(Template),
  templateId: Type.String(),
  userId: Type.String(),
  version: Type.Integer(),
  workers: Type.Optional(Type.Array(Pod)),
  workersMax: Type.Integer(),
  workersMin: Type.Integer(),
})
export type Endpoint = Type.Static<typeof Endpoint>

const fields = {
  allowedCudaVersions: Type.Optional(Type.Array(CUDA)),
  cpuFlavorIds: Type.Optional(STRINGS),
  dataCenterIds: Type.Optional(STRINGS),
  executionTimeoutMs: Type.Optional(Type.Integer({ minimum: 1000, maximum: 7 * 24 * 3_600_000 })),
  flashboot: Type.Optional(Type.Boolean()),
  gpuCount: Type.Optional(Type.Integer({ minimum: 1, default: 1 })),
  gpuTypeIds: Type.Optional(STRINGS),
  idleTimeout: Type.Optional(Type.Integer({ minimum: 1, maximum: 3600, default: 5 })),
  minCudaVersion: Type.Optional(CUDA),
  name: Type.Optional(NAME),
  networkVolumeId: Type.Optional(ID),
  networkVolumeIds: Type.Optional(Type.Array(ID)),
  scalerType: Type.Optional(SCALER),
  scalerValue: Type.Optional(Type.Integer({ minimum: 1, default: 4 })),
  templateId: Type.Optional(ID),
  vcpuCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 512, default: 2 })),
  workersMax: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
  workersMin: Type.Optional(Type.Integer({ minimum: 0, maximum: 1000 })),
}

export const EndpointCreateInput = Type.Object({
  ...fields,
  computeType: Type.Optional(StringEnum(['GPU', 'CPU'] as const, { default: 'GPU' })),
  templateId: ID,
})

export const EndpointUpdateInput = Type.Object(fields, {
  description: 'Input for updating an endpoint which will trigger a rolling release on the endpoint.',
})

export const EndpointIncludes = Type.Object({
  includeTemplate: Type.Optional(Type.Boolean({ default: false })),
  includeWorkers: Type.Optional(Type.Boolean({ default: false })),
})

export const EndpointIdParams = Type.Object({ endpointId: ID })
