import type { App, AppContext } from '../../context.js'
import { problems } from '../common.js'
import {
  type Amounts,
  compute,
  perBucket,
  perGroup,
  resolvedQuery,
  sumAmounts,
  timeRange,
  usd,
  zeros,
} from './records.js'
import {
  BILLING_KEYS,
  BillingQuery,
  CLUSTER_KEYS,
  ClusterBillingQuery,
  ENDPOINT_KEYS,
  ListBillingResponse,
  ListClusterBillingResponse,
  ListEndpointBillingResponse,
  ListNetworkVolumeBillingResponse,
  ListPodBillingResponse,
  ListServerlessBillingResponse,
  NETWORK_VOLUME_KEYS,
  NetworkVolumeBillingQuery,
  POD_KEYS,
  PodBillingQuery,
  SERVERLESS_KEYS,
  ServerlessBillingQuery,
} from './schemas.js'
import { billingWindow } from './window.js'

const tags = ['billing']
const errors = problems(400, 422)

/**
 * RunPod's v2 billing over the same recorded usage as /v1/billing: pods, serverless workers and
 * network volumes, in whole buckets of the resolved window. podplane has no platform fee, public
 * endpoints or clusters, so those amounts are zero and the cluster route lists no records.
 */
export function billingRoutes(v2: App, ctx: AppContext): void {
  v2.get(
    '/billing',
    {
      schema: {
        operationId: 'listBilling',
        summary: 'Get aggregated billing history',
        tags,
        querystring: BillingQuery,
        response: { 200: ListBillingResponse, ...errors },
      },
    },
    async (request) => {
      const { userId } = request.auth
      const window = billingWindow(request.query, ctx.clock.now())
      const [pods, serverless, volumes] = await Promise.all([
        ctx.billing.pods(userId, window, { grouping: 'podId' }),
        ctx.billing.endpoints(userId, window, { grouping: 'endpointId' }),
        ctx.billing.networkVolumes(userId, window),
      ])
      const records = perBucket(window, pods, serverless, volumes).map(({ bucket, totals }) => {
        const pod = compute(totals[0]!)
        const sls = compute(totals[1]!)
        const storage = compute(totals[2]!).disk
        const amounts: Amounts<(typeof BILLING_KEYS)[number]> = {
          ...zeros(BILLING_KEYS),
          totalAmount: usd(pod.gpu + pod.cpu + pod.disk + sls.gpu + sls.cpu + sls.disk + storage),
          podGpuAmount: usd(pod.gpu),
          podCpuAmount: usd(pod.cpu),
          podDiskAmount: usd(pod.disk),
          serverlessGpuAmount: usd(sls.gpu),
          serverlessCpuAmount: usd(sls.cpu),
          serverlessDiskAmount: usd(sls.disk),
          storageStandardAmount: usd(storage),
        }
        return { ...timeRange(window, bucket), ...amounts }
      })
      return {
        records,
        metadata: {
          query: resolvedQuery(window),
          recordCount: records.length,
          totals: sumAmounts(BILLING_KEYS, records),
        },
      }
    },
  )

  v2.get(
    '/billing/pods',
    {
      schema: {
        operationId: 'listPodBilling',
        summary: 'Get pod billing history',
        tags,
        querystring: PodBillingQuery,
        response: { 200: ListPodBillingResponse, ...errors },
      },
    },
    async (request) => {
      const { podId } = request.query
      const window = billingWindow(request.query, ctx.clock.now())
      const totals = await ctx.billing.pods(request.auth.userId, window, { grouping: 'podId', podId })
      const records = perGroup(window, totals).map(({ bucket, group, total }) => {
        const { gpu, cpu, disk } = compute([total])
        const amounts = {
          totalAmount: usd(gpu + cpu + disk),
          gpuAmount: usd(gpu),
          cpuAmount: usd(cpu),
          diskAmount: usd(disk),
        }
        return { ...timeRange(window, bucket), ...amounts, podId: group }
      })
      return {
        records,
        metadata: {
          query: { ...resolvedQuery(window), podId: podId ?? null },
          recordCount: records.length,
          uniquePodCount: new Set(records.map((r) => r.podId)).size,
          totals: sumAmounts(POD_KEYS, records),
        },
      }
    },
  )

  v2.get(
    '/billing/serverless',
    {
      schema: {
        operationId: 'listServerlessBilling',
        summary: 'Get serverless billing history',
        tags,
        querystring: ServerlessBillingQuery,
        response: { 200: ListServerlessBillingResponse, ...errors },
      },
    },
    async (request) => {
      const { serverlessId } = request.query
      const window = billingWindow(request.query, ctx.clock.now())
      const totals = await ctx.billing.endpoints(request.auth.userId, window, {
        grouping: 'endpointId',
        endpointId: serverlessId,
      })
      const records = perGroup(window, totals).map(({ bucket, group, total }) => {
        const { gpu, cpu, disk } = compute([total])
        const amounts = {
          totalAmount: usd(gpu + cpu + disk),
          gpuAmount: usd(gpu),
          cpuAmount: usd(cpu),
          diskAmount: usd(disk),
          feeAmount: 0,
        }
        return { ...timeRange(window, bucket), ...amounts, serverlessId: group }
      })
      return {
        records,
        metadata: {
          query: { ...resolvedQuery(window), serverlessId: serverlessId ?? null },
          recordCount: records.length,
          uniqueServerlessCount: new Set(records.map((r) => r.serverlessId)).size,
          totals: sumAmounts(SERVERLESS_KEYS, records),
        },
      }
    },
  )

  v2.get(
    '/billing/endpoints',
    {
      schema: {
        operationId: 'listEndpointBilling',
        summary: 'Get public endpoint billing history',
        tags,
        querystring: BillingQuery,
        response: { 200: ListEndpointBillingResponse, ...errors },
      },
    },
    async (request) => {
      const window = billingWindow(request.query, ctx.clock.now())
      const records = window.buckets.map((bucket) => ({
        ...timeRange(window, bucket),
        ...zeros(ENDPOINT_KEYS),
      }))
      return {
        records,
        metadata: { query: resolvedQuery(window), recordCount: records.length, totals: zeros(ENDPOINT_KEYS) },
      }
    },
  )

  v2.get(
    '/billing/network-volumes',
    {
      schema: {
        operationId: 'listNetworkVolumeBilling',
        summary: 'Get network volume billing history',
        tags,
        querystring: NetworkVolumeBillingQuery,
        response: { 200: ListNetworkVolumeBillingResponse, ...errors },
      },
    },
    async (request) => {
      const { userId } = request.auth
      const { networkVolumeId } = request.query
      const window = billingWindow(request.query, ctx.clock.now())
      const totals = await ctx.billing.networkVolumes(userId, window, { byVolume: true, networkVolumeId })
      const volumes = await ctx.store.networkVolumes.byIds(userId, [...new Set(totals.map((t) => t.group))])
      // A deleted volume's tier is gone with it; its spend counts as standard storage.
      const highPerformance = new Set(volumes.filter((v) => v.type === 'HIGH_PERFORMANCE').map((v) => v.id))
      const records = perGroup(window, totals).map(({ bucket, group, total }) => {
        const amount = usd(total?.diskAmount ?? 0)
        const fast = highPerformance.has(group)
        const amounts = {
          totalAmount: amount,
          standardAmount: fast ? 0 : amount,
          highPerformanceAmount: fast ? amount : 0,
        }
        return { ...timeRange(window, bucket), ...amounts, networkVolumeId: group }
      })
      return {
        records,
        metadata: {
          query: { ...resolvedQuery(window), networkVolumeId: networkVolumeId ?? null },
          recordCount: records.length,
          uniqueNetworkVolumeCount: new Set(records.map((r) => r.networkVolumeId)).size,
          totals: sumAmounts(NETWORK_VOLUME_KEYS, records),
        },
      }
    },
  )

  v2.get(
    '/billing/clusters',
    {
      schema: {
        operationId: 'listClusterBilling',
        summary: 'Get cluster billing history',
        tags,
        querystring: ClusterBillingQuery,
        response: { 200: ListClusterBillingResponse, ...errors },
      },
    },
    async (request) => {
      const window = billingWindow(request.query, ctx.clock.now())
      return {
        records: [],
        metadata: {
          query: { ...resolvedQuery(window), clusterId: request.query.clusterId ?? null },
          recordCount: 0,
          uniqueClusterCount: 0,
          totals: zeros(CLUSTER_KEYS),
        },
      }
    },
  )
}
