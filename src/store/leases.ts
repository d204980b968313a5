import type { Kysely } from 'kysely'
import type { Database } from './schema.js'

/**
 * Leases make background work run on one replica at a time. Taking one is a single atomic upsert
 * that succeeds when the lease is free, expired, or already ours — on SQLite and PostgreSQL alike.
 */
export class LeaseRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async acquire(name: string, holder: string, ttlMs: number, now: number): Promise<boolean> {
    const row = await this.db
      .insertInto('leases')
      .values({ name, holder, expires_at: now + ttlMs })
      .onConflict((oc) =>
        oc
          .column('name')
          .doUpdateSet({ holder, expires_at: now + ttlMs })
          .where((eb) => eb.or([eb('leases.expires_at', '<=', now), eb('leases.holder', '=', holder)])),
      )
      .returning('holder')
      .executeTakeFirst()
    return row?.holder === holder
  }

  async release(name: string, holder: string): Promise<void> {
    await this.db.deleteFrom('leases').where('name', '=', name).where('holder', '=', holder).execute()
  }
}
