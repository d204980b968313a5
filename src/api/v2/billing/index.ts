import type { BucketTotal } from '../../../domain/billing.js'
import type { App, AppContext } from '../../context.js'
import { problems } from '../common.js'
import { onlyOwnFilters } from './filters.js'
import {
  type Amounts,
  compute,
  perBucket,
  perGroup,
  resolvedQuery,
  sumAmounts,
  timeRange,
  usd,
  withTotal,
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
 * network volumes, in whole buckets of the resolved window. podplane has no platform fee or public
 * endpoints, so those amounts are zero. A cluster's members are pods: their spend counts with pods
 * here and in /billing/pods, and /billing/clusters shows it again per cluster.
 */
export function billingRoutes(v2: App, ctx: AppContext): void {
  onlyOwnFilters(v2)

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
        ctx.billing.networkVolumesByTier(userId, window),
      ])
      const sources = perBucket(window, pods, serverless, volumes.standard, volumes.highPerformance)
      const records = sources.map(({ bucket, totals }) => {
        const pod = compute(totals[0]!)
        const sls = compute(totals[1]!)
        const std = compute(totals[2]!).disk
        const hp = compute(totals[3]!).disk
        const amounts: Amounts<(typeof BILLING_KEYS)[number]> = {
          ...zeros(BILLING_KEYS),
          ...withTotal({
            podGpuAmount: pod.gpu,
            podCpuAmount: pod.cpu,
            podDiskAmount: pod.disk,
            serverlessGpuAmount: sls.gpu,
            serverlessCpuAmount: sls.cpu,
            serverlessDiskAmount: sls.disk,
            storageStandardAmount: std,
            storageHighPerformanceAmount: hp,
          }),
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
        const amounts = withTotal({ gpuAmount: gpu, cpuAmount: cpu, diskAmount: disk })
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
        const amounts = withTotal({ gpuAmount: gpu, cpuAmount: cpu, diskAmount: disk, feeAmount: 0 })
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
      const volumes = await ctx.billing.networkVolumesByTier(userId, window, {
        byVolume: true,
        networkVolumeId,
      })
      const fastVolumes = new Set(volumes.highPerformance.map((t) => t.group))
      const records = perGroup(window, volumes.all).map(({ bucket, group, total }) => {
        const amount = usd(total?.diskAmount ?? 0)
        const fast = fastVolumes.has(group)
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
      const { userId } = request.auth
      const { clusterId } = request.query
      const window = billingWindow(request.query, ctx.clock.now())
      // Members bill as pods; a cluster's spend is its members' (a deleted cluster's too). Members
      // are GPU pods, so all their compute is GPU compute; the overlay network costs nothing here.
      const [totals, clusterOf] = await Promise.all([
        ctx.billing.pods(userId, window, { grouping: 'podId' }),
        ctx.clusters.clusterOfPods(userId),
      ])
      const byCluster = new Map<string, BucketTotal>()
      for (const t of totals) {
        const cluster = clusterOf.get(t.group)
        if (cluster === undefined || (clusterId !== undefined && cluster !== clusterId)) continue
        const key = `${t.bucket}\u0000${cluster}`
        const sum = byCluster.get(key) ?? { ...t, group: cluster, gpuAmount: 0, cpuAmount: 0, diskAmount: 0 }
        sum.gpuAmount += t.gpuAmount + t.cpuAmount
        sum.diskAmount += t.diskAmount
        byCluster.set(key, sum)
      }
      const records = perGroup(window, [...byCluster.values()]).map(({ bucket, group, total }) => {
        const { gpu, disk } = compute([total])
        const amounts = withTotal({ gpuAmount: gpu, diskAmount: disk, networkingAmount: 0 })
        return { ...timeRange(window, bucket), ...amounts, clusterId: group }
      })
      return {
        records,
        metadata: {
          query: { ...resolvedQuery(window), clusterId: clusterId ?? null },
          recordCount: records.length,
          uniqueClusterCount: new Set(records.map((r) => r.clusterId)).size,
          totals: sumAmounts(CLUSTER_KEYS, records),
        },
      }
    },
  )
}
