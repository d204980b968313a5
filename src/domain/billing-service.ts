import type { Clock } from '../clock.js'
import type { Store } from '../store/store.js'
import type { UsageQuery } from '../store/usage.js'
import { type BillingRange, type BucketTotal, billUsage } from './billing.js'
import type { SavingsPlan } from './resources.js'
import type { UsageInterval } from './usage.js'

export type PodGrouping = 'podId' | 'gpuTypeId'
export type EndpointGrouping = 'endpointId' | 'podId' | 'gpuTypeId'

const groupBy =
  (field: 'podId' | 'gpuTypeId' | 'endpointId' | 'networkVolumeId') =>
  (i: UsageInterval): string =>
    i[field] ?? ''

/** Network volume billing: one group per volume (else one for all), or one volume only. */
export interface VolumeBillingQuery {
  readonly byVolume?: boolean
  readonly networkVolumeId?: string
}

/** Network volume spend: every volume's, and each storage tier's. */
export interface VolumeSpend {
  readonly all: BucketTotal[]
  readonly standard: BucketTotal[]
  readonly highPerformance: BucketTotal[]
}

const NO_PLANS: ReadonlyMap<string, readonly SavingsPlan[]> = new Map()

/** Spend over time, read from recorded usage: pods, serverless workers and network volumes. */
export class BillingService {
  constructor(private readonly o: { store: Store; clock: Clock }) {}

  private async bill(
    userId: string,
    range: BillingRange,
    query: Omit<UsageQuery, 'from' | 'to'>,
    groupOf: (i: UsageInterval) => string,
  ): Promise<BucketTotal[]> {
    const [intervals, plans] = await Promise.all([
      this.o.store.usage.overlapping(userId, { ...query, from: range.from, to: range.to }),
      this.o.store.savingsPlans.overlapping(userId, range.from, range.to),
    ])
    const plansByPod = new Map<string, SavingsPlan[]>()
    for (const plan of plans) plansByPod.set(plan.podId, [...(plansByPod.get(plan.podId) ?? []), plan])
    return billUsage(intervals, plansByPod, range, groupOf, this.o.clock.now())
  }

  /** Pods that are not serverless workers: compute while running, disk always. */
  pods(
    userId: string,
    range: BillingRange,
    q: { grouping: PodGrouping; podId?: string; gpuTypeId?: string },
  ) {
    return this.bill(
      userId,
      range,
      {
        kinds: ['pod_running', 'pod_stopped'],
        workers: false,
        podId: q.podId,
        gpuTypeIds: q.gpuTypeId === undefined ? undefined : [q.gpuTypeId],
      },
      groupBy(q.grouping),
    )
  }

  /** Serverless workers, by endpoint, worker or GPU type. */
  endpoints(
    userId: string,
    range: BillingRange,
    q: {
      grouping: EndpointGrouping
      endpointId?: string
      gpuTypeIds?: readonly string[]
      dataCenterIds?: readonly string[]
      imageName?: string
      templateId?: string
    },
  ) {
    const { grouping, ...filters } = q
    return this.bill(
      userId,
      range,
      { kinds: ['pod_running', 'pod_stopped'], workers: true, ...filters },
      groupBy(grouping),
    )
  }

  /** Network volumes, all together per bucket or one group per volume. */
  async networkVolumes(
    userId: string,
    range: BillingRange,
    q: VolumeBillingQuery = {},
  ): Promise<BucketTotal[]> {
    return this.billVolumes(await this.volumeUsage(userId, range, q), range, q)
  }

  /**
   * The same, in all and by storage tier, from one read of the usage: each interval keeps its
   * volume's tier, so a deleted volume's spend stays in it.
   */
  async networkVolumesByTier(
    userId: string,
    range: BillingRange,
    q: VolumeBillingQuery = {},
  ): Promise<VolumeSpend> {
    const intervals = await this.volumeUsage(userId, range, q)
    const fast = (i: UsageInterval) => i.volumeType === 'HIGH_PERFORMANCE'
    return {
      all: this.billVolumes(intervals, range, q),
      standard: this.billVolumes(
        intervals.filter((i) => !fast(i)),
        range,
        q,
      ),
      highPerformance: this.billVolumes(intervals.filter(fast), range, q),
    }
  }

  private volumeUsage(userId: string, range: BillingRange, q: VolumeBillingQuery) {
    const query = { kinds: ['network_volume' as const], networkVolumeId: q.networkVolumeId }
    return this.o.store.usage.overlapping(userId, { ...query, from: range.from, to: range.to })
  }

  /** Savings plans cover pods only: volumes are billed without reading them. */
  private billVolumes(intervals: readonly UsageInterval[], range: BillingRange, q: VolumeBillingQuery) {
    const groupOf = q.byVolume ? groupBy('networkVolumeId') : () => ''
    return billUsage(intervals, NO_PLANS, range, groupOf, this.o.clock.now())
  }
}
