import type { Kysely } from 'kysely'
import type { Database } from './schema.js'

export interface UserSummary {
  readonly id: string
  readonly createdAt: number
  readonly disabledAt: number | null
  readonly liveKeys: number
  readonly runningPods: number
  /** Sum of the hourly rates (`adjustedCostPerHr`: savings plans applied) of the user's pods that hold compute now. */
  readonly runningCostPerHr: number
  /** v2 request quotas set for this user; null where the server's default applies. */
  readonly rateLimits: RateLimitOverrides
}

export interface RateLimitOverrides {
  readonly minute: number | null
  readonly hour: number | null
  readonly day: number | null
}

const HOLDING = ['PROVISIONING', 'STARTING', 'RUNNING', 'ERROR']

/** Users for operators (no user scope: admin routes only). */
export class UserRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Users (or the one with `id`) as they stand at `now`, which decides the savings plans in force. */
  async list(now: number, id?: string): Promise<UserSummary[]> {
    let query = this.db.selectFrom('users as u').select((eb) => [
      'u.id',
      'u.created_at',
      'u.disabled_at',
      'u.rate_limit_minute',
      'u.rate_limit_hour',
      'u.rate_limit_day',
      eb
        .selectFrom('api_keys as k')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('k.user_id', '=', 'u.id')
        .where('k.revoked_at', 'is', null)
        .as('live_keys'),
      eb
        .selectFrom('pods as p')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('p.user_id', '=', 'u.id')
        .where('p.status', 'in', HOLDING)
        .as('running_pods'),
      eb
        .selectFrom('pods as p')
        .select((inner) =>
          inner.fn
            .sum<number>(
              // adjustedCostPerHr (domain/pricing.ts) in SQL: the cheapest plan in force wins over
              // the pod's own rate. Rates are stored rounded, so the minimum needs no rounding.
              inner.fn.coalesce(
                inner
                  .selectFrom('savings_plans as s')
                  .select((plans) => plans.fn.min<number>('s.cost_per_hr').as('c'))
                  .whereRef('s.pod_id', '=', 'p.id')
                  .whereRef('s.user_id', '=', 'p.user_id')
                  .where('s.start_time', '<=', now)
                  .where('s.end_time', '>', now)
                  .whereRef('s.cost_per_hr', '<', 'p.cost_per_hr'),
                inner.ref('p.cost_per_hr'),
              ),
            )
            .as('c'),
        )
        .whereRef('p.user_id', '=', 'u.id')
        .where('p.status', 'in', HOLDING)
        .as('running_cost'),
    ])
    if (id !== undefined) query = query.where('u.id', '=', id)
    const rows = await query.orderBy('u.id').execute()
    return rows.map((r) => ({
      id: r.id,
      createdAt: r.created_at,
      disabledAt: r.disabled_at,
      liveKeys: Number(r.live_keys ?? 0),
      runningPods: Number(r.running_pods ?? 0),
      runningCostPerHr: Math.round(Number(r.running_cost ?? 0) * 1000) / 1000,
      rateLimits: { minute: r.rate_limit_minute, hour: r.rate_limit_hour, day: r.rate_limit_day },
    }))
  }

  /** Disables (a time) or re-enables (null) a user; false when there is no such user. */
  async setDisabled(id: string, at: number | null): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({ disabled_at: at })
      .where('id', '=', id)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  /** Sets a user's own v2 quotas (null: the server's default); false when there is no such user. */
  async setRateLimits(id: string, limits: RateLimitOverrides): Promise<boolean> {
    const result = await this.db
      .updateTable('users')
      .set({ rate_limit_minute: limits.minute, rate_limit_hour: limits.hour, rate_limit_day: limits.day })
      .where('id', '=', id)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }
}
