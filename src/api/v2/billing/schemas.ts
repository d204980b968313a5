import Type, { type TProperties } from 'typebox'
import { BUCKET_SIZES } from '../../../domain/billing.js'
import { Enum, OrNull } from '../common.js'

/**
 * v2 billing schemas, following RunPod's REST v2 spec: every route answers `{records, metadata}`,
 * records are time buckets with USD amounts, and metadata echoes the resolved window and totals.
 */

const DATE_TIME = Type.String({ format: 'date-time' })
const USD = Type.Number()
const ID = Type.String({ minLength: 1, maxLength: 191 })

export const windowQuery = {
  startTime: Type.Optional(DATE_TIME),
  endTime: Type.Optional(DATE_TIME),
  bucketSize: Type.Optional(Enum(BUCKET_SIZES, { default: 'day' })),
  lastN: Type.Optional(Type.Integer({ minimum: 1 })),
}

export const BillingQuery = Type.Object(windowQuery)
export const PodBillingQuery = Type.Object({ ...windowQuery, podId: Type.Optional(ID) })
export const ServerlessBillingQuery = Type.Object({ ...windowQuery, serverlessId: Type.Optional(ID) })
export const NetworkVolumeBillingQuery = Type.Object({ ...windowQuery, networkVolumeId: Type.Optional(ID) })
export const ClusterBillingQuery = Type.Object({ ...windowQuery, clusterId: Type.Optional(ID) })

const timeRange = { startTime: DATE_TIME, endTime: DATE_TIME }
const resolvedQuery = { ...timeRange, bucketSize: Enum(BUCKET_SIZES) }

const amounts = <const K extends readonly string[]>(keys: K) =>
  Object.fromEntries(keys.map((k) => [k, USD])) as { [P in K[number]]: typeof USD }

export const BILLING_KEYS = [
  'totalAmount',
  'podGpuAmount',
  'podCpuAmount',
  'podDiskAmount',
  'serverlessGpuAmount',
  'serverlessCpuAmount',
  'serverlessDiskAmount',
  'serverlessFeeAmount',
  'storageStandardAmount',
  'storageHighPerformanceAmount',
  'endpointAmount',
  'clusterGpuAmount',
  'clusterDiskAmount',
  'clusterNetworkingAmount',
] as const
export const POD_KEYS = ['totalAmount', 'gpuAmount', 'cpuAmount', 'diskAmount'] as const
export const SERVERLESS_KEYS = ['totalAmount', 'gpuAmount', 'cpuAmount', 'diskAmount', 'feeAmount'] as const
export const NETWORK_VOLUME_KEYS = ['totalAmount', 'standardAmount', 'highPerformanceAmount'] as const
export const ENDPOINT_KEYS = ['totalAmount'] as const
export const CLUSTER_KEYS = ['totalAmount', 'gpuAmount', 'diskAmount', 'networkingAmount'] as const

/** `{records, metadata}` for one billing route. */
function listResponse(
  keys: readonly string[],
  extra: { id?: string; filter?: string; uniqueCount?: string } = {},
) {
  const record: TProperties = { ...timeRange, ...amounts(keys) }
  const query: TProperties = { ...resolvedQuery }
  const metadata: TProperties = { recordCount: Type.Integer() }
  if (extra.id) record[extra.id] = Type.String()
  if (extra.filter) query[extra.filter] = OrNull(Type.String())
  if (extra.uniqueCount) metadata[extra.uniqueCount] = Type.Integer()
  return Type.Object({
    records: Type.Array(Type.Object(record)),
    metadata: Type.Object({ ...metadata, query: Type.Object(query), totals: Type.Object(amounts(keys)) }),
  })
}

export const ListBillingResponse = listResponse(BILLING_KEYS)
export const ListPodBillingResponse = listResponse(POD_KEYS, {
  id: 'podId',
  filter: 'podId',
  uniqueCount: 'uniquePodCount',
})
export const ListServerlessBillingResponse = listResponse(SERVERLESS_KEYS, {
  id: 'serverlessId',
  filter: 'serverlessId',
  uniqueCount: 'uniqueServerlessCount',
})
export const ListEndpointBillingResponse = listResponse(ENDPOINT_KEYS)
export const ListNetworkVolumeBillingResponse = listResponse(NETWORK_VOLUME_KEYS, {
  id: 'networkVolumeId',
  filter: 'networkVolumeId',
  uniqueCount: 'uniqueNetworkVolumeCount',
})
export const ListClusterBillingResponse = listResponse(CLUSTER_KEYS, {
  id: 'clusterId',
  filter: 'clusterId',
  uniqueCount: 'uniqueClusterCount',
})
