import type { Clock } from '../clock.js'
import type { Store } from '../store/store.js'
import type { RateLimitOverrides, UserSummary } from '../store/users.js'
import type { BillingRange } from './billing.js'
import type { BillingService } from './billing-service.js'
import { notFound } from './errors.js'

export const userNotFound = () => notFound('user')

export interface UserUsage extends UserSummary {
  readonly from: number
  readonly to: number
  /** USD spent in the range, by what it was spent on. */
  readonly spend: {
    readonly pods: number
    readonly endpoints: number
    readonly networkVolumes: number
    readonly total: number
  }
}

/** Users for operators: who they are, what runs, what it costs; disabling stops their keys at once. */
export class UserService {
  constructor(private readonly o: { store: Store; clock: Clock; billing: BillingService }) {}

  list(): Promise<UserSummary[]> {
    return this.o.store.users.list(this.o.clock.now())
  }

  async get(id: string): Promise<UserSummary> {
    const [user] = await this.o.store.users.list(this.o.clock.now(), id)
    if (!user) throw userNotFound()
    return user
  }

  async setDisabled(id: string, disabled: boolean): Promise<UserSummary> {
    if (!(await this.o.store.users.setDisabled(id, disabled ? this.o.clock.now() : null)))
      throw userNotFound()
    return this.get(id)
  }

  /** Changes only the windows given; null puts a window back on the server's default. */
  async setRateLimits(id: string, limits: Partial<RateLimitOverrides>): Promise<UserSummary> {
    const user = await this.get(id)
    await this.o.store.users.setRateLimits(id, { ...user.rateLimits, ...limits })
    return this.get(id)
  }

  async usage(id: string, range: BillingRange): Promise<UserUsage> {
    const user = await this.get(id)
    const sum = (totals: { gpuAmount: number; cpuAmount: number; diskAmount: number }[]) =>
      totals.reduce((s, t) => s + t.gpuAmount + t.cpuAmount + t.diskAmount, 0)
    const [pods, endpoints, volumes] = await Promise.all([
      this.o.billing.pods(id, range, { grouping: 'gpuTypeId' }),
      this.o.billing.endpoints(id, range, { grouping: 'endpointId' }),
      this.o.billing.networkVolumes(id, range),
    ])
    const spend = { pods: sum(pods), endpoints: sum(endpoints), networkVolumes: sum(volumes) }
    return {
      ...user,
      from: range.from,
      to: range.to,
      spend: { ...spend, total: spend.pods + spend.endpoints + spend.networkVolumes },
    }
  }
}
