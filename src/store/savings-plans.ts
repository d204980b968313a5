import type { Kysely } from 'kysely'
import type { SavingsPlan } from '../domain/resources.js'
import type { Database } from './schema.js'

export class SavingsPlanRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The user's plans that have not ended by `now` (a handful per user, so no pod-id list is sent). */
  async unexpired(userId: string, now: number): Promise<SavingsPlan[]> {
    const rows = await this.db
      .selectFrom('savings_plans')
      .selectAll()
      .where('user_id', '=', userId)
      .where('end_time', '>', now)
      .orderBy('start_time')
      .execute()
    return rows.map((r) => ({
      id: r.id,
      userId: r.user_id,
      podId: r.pod_id,
      gpuTypeId: r.gpu_type_id,
      costPerHr: r.cost_per_hr,
      startTime: r.start_time,
      endTime: r.end_time,
    }))
  }
}
