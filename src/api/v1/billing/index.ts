import Type from 'typebox'
import { BUCKET_SIZES, type BucketTotal, billingRange } from '../../../domain/billing.js'
import type { App, AppContext } from '../../context.js'
import { ErrorBody, StringEnum } from '../../schema-helpers.js'
import { assertKnownIds } from '../pods/known-ids.js'
import { splitCommaLists } from '../query-lists.js'
import { ID, STRINGS } from '../shared-schemas.js'

const tags = ['billing']
const DATE_TIME = Type.String({ format: 'date-time' })

const range = {
  bucketSize: Type.Optional(StringEnum(BUCKET_SIZES, { default: 'day' })),
  endTime: Type.Optional(DATE_TIME),
  startTime: Type.Optional(DATE_TIME),
}

export const BillingRecord = Type.Object({
  amount: Type.Number({ description: 'USD charged for the group in the bucket.' }),
  diskSpaceBilledGb: Type.Integer(),
  endpointId: Type.Optional(Type.String()),
  gpuTypeId: Type.Optional(Type.String()),
  podId: Type.Optional(Type.String()),
  time: Type.String({ format: 'date-time', description: 'Start of the bucket.' }),
  timeBilledMs: Type.Integer({ description: 'Milliseconds of running compute billed in the bucket.' }),
})

export const NetworkVolumeBillingRecord = Type.Object({
  amount: Type.Number(),
  diskSpaceBilledGb: Type.Integer(),
  highPerformanceStorageAmount: Type.Number(),
  highPerformanceStorageDiskSpaceBilledGb: Type.Integer(),
  time: Type.String({ format: 'date-time' }),
})

/** Amounts keep full precision so buckets add up; only float noise below a nano-dollar is cut. */
const usd = (x: number) => Math.round(x * 1e9) / 1e9

function record(total: BucketTotal, grouping: 'podId' | 'gpuTypeId' | 'endpointId') {
  return {
    amount: usd(total.gpuAmount + total.cpuAmount + total.diskAmount),
    diskSpaceBilledGb: total.diskGb,
    [grouping]: total.group === '' ? undefined : total.group,
    time: new Date(total.bucket).toISOString(),
    timeBilledMs: total.runningMs,
  }
}

export const PodBillingQuery = Type.Object({
  ...range,
  gpuTypeId: Type.Optional(ID),
  grouping: Type.Optional(StringEnum(['podId', 'gpuTypeId'] as const, { default: 'gpuTypeId' })),
  podId: Type.Optional(ID),
})

export const EndpointBillingQuery = Type.Object({
  ...range,
  dataCenterId: Type.Optional(STRINGS),
  endpointId: Type.Optional(ID),
  gpuTypeId: Type.Optional(STRINGS),
  grouping: Type.Optional(
    StringEnum(['endpointId', 'podId', 'gpuTypeId'] as const, { default: 'endpointId' }),
  ),
  imageName: Type.Optional(Type.String({ maxLength: 1024 })),
  templateId: Type.Optional(ID),
})

export const NetworkVolumeBillingQuery = Type.Object(range)

export function billingRoutes(app: App, ctx: AppContext) {
  app.get(
    '/billing/pods',
    {
      schema: {
        operationId: 'PodBilling',
        summary: 'Pod billing history',
        tags,
        querystring: PodBillingQuery,
        response: { 200: Type.Array(BillingRecord), 400: ErrorBody },
      },
    },
    async (request) => {
      const q = request.query
      assertKnownIds('gpuTypeId', q.gpuTypeId === undefined ? [] : [q.gpuTypeId], ctx.catalog().gpuTypes)
      const grouping = q.grouping ?? 'gpuTypeId'
      const totals = await ctx.billing.pods(request.auth.userId, billingRange(q, ctx.clock.now()), {
        ...q,
        grouping,
      })
      return totals.map((t) => record(t, grouping))
    },
  )

  app.get(
    '/billing/endpoints',
    {
      schema: {
        operationId: 'EndpointBilling',
        summary: 'Serverless billing history',
        tags,
        querystring: EndpointBillingQuery,
        response: { 200: Type.Array(BillingRecord), 400: ErrorBody },
      },
      preValidation: splitCommaLists(['dataCenterId', 'gpuTypeId']),
    },
    async (request) => {
      const q = request.query
      const catalog = ctx.catalog()
      assertKnownIds('gpuTypeId', q.gpuTypeId, catalog.gpuTypes)
      assertKnownIds('dataCenterId', q.dataCenterId, catalog.dataCenters)
      const grouping = q.grouping ?? 'endpointId'
      const totals = await ctx.billing.endpoints(request.auth.userId, billingRange(q, ctx.clock.now()), {
        grouping,
        endpointId: q.endpointId,
        gpuTypeIds: q.gpuTypeId,
        dataCenterIds: q.dataCenterId,
        imageName: q.imageName,
        templateId: q.templateId,
      })
      return totals.map((t) => record(t, grouping))
    },
  )

  app.get(
    '/billing/networkvolumes',
    {
      schema: {
        operationId: 'NetworkVolumeBilling',
        summary: 'Network volume billing history',
        tags,
        querystring: NetworkVolumeBillingQuery,
        response: { 200: Type.Array(NetworkVolumeBillingRecord), 400: ErrorBody },
      },
    },
    async (request) => {
      const { userId } = request.auth
      const range = billingRange(request.query, ctx.clock.now())
      const volumes = await ctx.billing.networkVolumesByTier(userId, range)
      // Every volume's spend in `amount` (RunPod: "charged for the group"), the high performance
      // tier's again on its own.
      const fastByBucket = new Map(volumes.highPerformance.map((t) => [t.bucket, t]))
      return volumes.all.map((t) => ({
        amount: usd(t.diskAmount),
        diskSpaceBilledGb: t.diskGb,
        highPerformanceStorageAmount: usd(fastByBucket.get(t.bucket)?.diskAmount ?? 0),
        highPerformanceStorageDiskSpaceBilledGb: fastByBucket.get(t.bucket)?.diskGb ?? 0,
        time: new Date(t.bucket).toISOString(),
      }))
    },
  )
}
