import { type Kysely, type Selectable, sql } from 'kysely'
import type { Dialect } from './database.js'
import { type PreparedQueries, param } from './prepared.js'
import type { ApiKeysTable, Database } from './schema.js'

export type ApiKeyRow = Selectable<ApiKeysTable>

export interface KeyOwner {
  readonly keyId: string
  readonly userId: string
  readonly isAdmin: boolean
  /** Request quotas the operator set for this user (null: the server's default). */
  readonly rateLimits: {
    readonly minute: number | null
    readonly hour: number | null
    readonly day: number | null
  }
}

/** A live key's owner, as authentication finds it. */
export interface FoundOwner {
  readonly owner: KeyOwner
  /**
   * PostgreSQL: the snapshot the lookup read in (`pg_current_snapshot()` as text). Two equal
   * snapshots see exactly the same committed data, whichever replica wrote it, so it serves as the
   * request's data generation (`Store.dataGeneration`). Undefined on SQLite, which keeps its own.
   */
  readonly snapshot: string | undefined
}

export class ApiKeyRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly prepared: PreparedQueries,
  ) {}

  async ensureUser(userId: string, now: number): Promise<void> {
    await this.db
      .insertInto('users')
      .values({ id: userId, created_at: now, disabled_at: null })
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
  }

  async insert(row: ApiKeyRow): Promise<void> {
    await this.db.insertInto('api_keys').values(row).execute()
  }

  /** The live key with this hash, if its user is not disabled. */
  async ownerOf(keyHash: string): Promise<FoundOwner | undefined> {
    const { rows } = await this.prepared.run(
      this.db as Kysely<unknown>,
      'api_keys.ownerOf',
      () =>
        this.db
          .selectFrom('api_keys')
          .innerJoin('users', 'users.id', 'api_keys.user_id')
          .select([
            'api_keys.id',
            'api_keys.user_id',
            'api_keys.is_admin',
            'users.rate_limit_minute',
            'users.rate_limit_hour',
            'users.rate_limit_day',
          ])
          .where('api_keys.key_hash', '=', param('hash'))
          .where('api_keys.revoked_at', 'is', null)
          .where('users.disabled_at', 'is', null)
          .$if(this.dialect === 'postgres', (q) =>
            q.select(sql<string>`pg_current_snapshot()::text`.as('snapshot')),
          ),
      { hash: keyHash },
    )
    const row = rows[0]
    if (!row) return undefined
    return {
      owner: {
        keyId: row.id,
        userId: row.user_id,
        isAdmin: row.is_admin === 1,
        rateLimits: { minute: row.rate_limit_minute, hour: row.rate_limit_hour, day: row.rate_limit_day },
      },
      snapshot: row.snapshot,
    }
  }

  async list(userId?: string): Promise<ApiKeyRow[]> {
    let query = this.db.selectFrom('api_keys').selectAll()
    if (userId !== undefined) query = query.where('user_id', '=', userId)
    return query.orderBy('created_at').orderBy('id').execute()
  }

  /** Returns false when no live key has this id. */
  async revoke(id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('api_keys')
      .set({ revoked_at: now })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }
}
