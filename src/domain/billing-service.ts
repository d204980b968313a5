import type { Clock } from '../clock.js'
import type { Store } from '../store/store.js'
import type { UsageQuery } from '../store/usage.js'
import { type BillingRange, type BucketTotal, billUsage } from './billing.js'
import type { SavingsPlan, VolumeType } from './resources.js'
import type { UsageInterval } from './usage.js'

export type PodGrouping = 'podId' | 'gpuTypeId'
export type EndpointGrouping = 'endpointId' | 'podId' | 'gpuTypeId'

const groupBy =
  (field: 'podId' | 'gpuTypeId' | 'endpointId' | 'networkVolumeId') =>
  (i: UsageInterval): string =>
    i[field] ?? ''

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

  /** Network volumes (of one storage tier, if given), all together per bucket or one group per volume. */
  networkVolumes(
    userId: string,
    range: BillingRange,
    q: { byVolume?: boolean; networkVolumeId?: string; tier?: VolumeType } = {},
  ) {
    return this.bill(
      userId,
      range,
      { kinds: ['network_volume'], networkVolumeId: q.networkVolumeId, volumeType: q.tier },
      q.byVolume ? groupBy('networkVolumeId') : () => '',
    )
  }
}
