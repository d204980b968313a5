import { type Kysely, sql } from 'kysely'
import type { Database } from './schema.js'

export interface WindowCount {
  readonly window: string
  readonly windowStart: number
}

/** Per-user, per-window request counts in the database, so every replica counts against one quota. */
export class RateCounterRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Counts one request in each window and returns the new counts, in the order given. */
  async hit(userId: string, windows: readonly WindowCount[]): Promise<number[]> {
    const rows = await this.db
      .insertInto('rate_counters')
      .values(
        windows.map((w) => ({ user_id: userId, window: w.window, window_start: w.windowStart, count: 1 })),
      )
      .onConflict((oc) =>
        oc
          .columns(['user_id', 'window', 'window_start'])
          .doUpdateSet({ count: sql`rate_counters.count + 1` }),
      )
      .returning(['window', 'count'])
      .execute()
    const byWindow = new Map(rows.map((r) => [r.window, r.count]))
    return windows.map((w) => byWindow.get(w.window) ?? 1)
  }

  /** Drops counts of windows that ended before `before`. */
  async prune(before: number): Promise<void> {
    await this.db.deleteFrom('rate_counters').where('window_start', '<', before).execute()
  }
}
