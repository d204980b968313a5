import type { Clock } from '../clock.js'
import type { Catalog, GpuType } from '../fleet/catalog.js'
import { newCuid } from '../ids.js'
import type { Store } from '../store/store.js'
import { badRequest } from './errors.js'
import type { PodService } from './pods.js'
import { roundMoney } from './pricing.js'
import type { SavingsPlan } from './resources.js'

const DAY = 86_400_000

/** Savings-plan terms and the GPU type price each one locks in. */
export const SAVINGS_TERMS = {
  ONE_WEEK: { days: 7, price: (t: GpuType) => t.oneWeekPrice },
  ONE_MONTH: { days: 30, price: (t: GpuType) => t.oneMonthPrice },
  THREE_MONTH: { days: 91, price: (t: GpuType) => t.threeMonthPrice },
  SIX_MONTH: { days: 182, price: (t: GpuType) => t.sixMonthPrice },
} as const
export type SavingsTerm = keyof typeof SAVINGS_TERMS

/**
 * Savings plans (a podplane extension: RunPod's v1 API shows them but has no route to buy one).
 * A plan locks a discounted rate for one on-demand Secure Cloud GPU pod over a term; while it runs
 * the pod's `adjustedCostPerHr` and its billing use the plan's rate.
 */
export class SavingsPlanService {
  constructor(private readonly o: { store: Store; clock: Clock; catalog: () => Catalog; pods: PodService }) {}

  async list(userId: string, podId: string): Promise<SavingsPlan[]> {
    await this.o.pods.get(userId, podId, { includeWorkers: true })
    return this.o.store.savingsPlans.forPod(userId, podId)
  }

  async create(
    userId: string,
    podId: string,
    input: { term: SavingsTerm; gpuTypeId?: string; startTime?: string },
  ): Promise<SavingsPlan> {
    const pod = await this.o.pods.get(userId, podId, { includeWorkers: true })
    if (pod.gpuTypeId === null) throw badRequest('savings plans cover GPU pods; this is a CPU pod')
    if (pod.interruptible || pod.cloudType !== 'SECURE') {
      throw badRequest('savings plans cover on-demand Secure Cloud pods only')
    }
    if (input.gpuTypeId !== undefined && input.gpuTypeId !== pod.gpuTypeId) {
      throw badRequest(`gpuTypeId: the pod runs on ${pod.gpuTypeId}, not ${input.gpuTypeId}`)
    }
    const now = this.o.clock.now()
    const start = input.startTime === undefined ? now : Date.parse(input.startTime)
    if (Number.isNaN(start)) throw badRequest('startTime must be an ISO 8601 date-time')
    if (start < now - 60_000) throw badRequest('startTime cannot be in the past')
    const term = SAVINGS_TERMS[input.term]
    const type = this.o.catalog().gpuTypes.get(pod.gpuTypeId)!
    const plan: SavingsPlan = {
      id: newCuid(),
      userId,
      podId,
      gpuTypeId: pod.gpuTypeId,
      costPerHr: roundMoney(term.price(type) * pod.gpuCount),
      startTime: start,
      endTime: start + term.days * DAY,
    }
    await this.o.store.savingsPlans.insert(plan)
    return plan
  }
}
