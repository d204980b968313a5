import type { Kysely, Selectable } from 'kysely'
import type { SavingsPlan } from '../domain/resources.js'
import { type PreparedQueries, param } from './prepared.js'
import type { Database, SavingsPlansTable } from './schema.js'

function toPlan(r: Selectable<SavingsPlansTable>): SavingsPlan {
  return {
    id: r.id,
    userId: r.user_id,
    podId: r.pod_id,
    gpuTypeId: r.gpu_type_id,
    costPerHr: r.cost_per_hr,
    startTime: r.start_time,
    endTime: r.end_time,
  }
}

export class SavingsPlanRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly prepared: PreparedQueries,
  ) {}

  /** The user's plans that have not ended by `now` (a handful per user, so no pod-id list is sent). */
  async unexpired(userId: string, now: number): Promise<SavingsPlan[]> {
    const { rows } = await this.prepared.run(
      this.db as Kysely<unknown>,
      'savings_plans.unexpired',
      () =>
        this.db
          .selectFrom('savings_plans')
          .selectAll()
          .where('user_id', '=', param('userId'))
          .where('end_time', '>', param('now') as unknown as number)
          .orderBy('start_time'),
      { userId, now },
    )
    return rows.map(toPlan)
  }

  /** Plans overlapping [from, to), for billing. */
  async overlapping(userId: string, from: number, to: number): Promise<SavingsPlan[]> {
    const rows = await this.db
      .selectFrom('savings_plans')
      .selectAll()
      .where('user_id', '=', userId)
      .where('start_time', '<', to)
      .where('end_time', '>', from)
      .orderBy('start_time')
      .execute()
    return rows.map(toPlan)
  }

  async forPod(userId: string, podId: string): Promise<SavingsPlan[]> {
    const rows = await this.db
      .selectFrom('savings_plans')
      .selectAll()
      .where('user_id', '=', userId)
      .where('pod_id', '=', podId)
      .orderBy('start_time')
      .execute()
    return rows.map(toPlan)
  }

  async insert(p: SavingsPlan): Promise<void> {
    await this.db
      .insertInto('savings_plans')
      .values({
        id: p.id,
        user_id: p.userId,
        pod_id: p.podId,
        gpu_type_id: p.gpuTypeId,
        cost_per_hr: p.costPerHr,
        start_time: p.startTime,
        end_time: p.endTime,
      })
      .execute()
  }
}
