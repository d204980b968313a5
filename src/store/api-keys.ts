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

interface Waiter {
  resolve(found: FoundOwner | undefined): void
  reject(error: unknown): void
}

interface OwnerColumns {
  id: string
  user_id: string
  is_admin: number
  rate_limit_minute: number | null
  rate_limit_hour: number | null
  rate_limit_day: number | null
}

function toOwner(row: OwnerColumns): KeyOwner {
  return {
    keyId: row.id,
    userId: row.user_id,
    isAdmin: row.is_admin === 1,
    rateLimits: { minute: row.rate_limit_minute, hour: row.rate_limit_hour, day: row.rate_limit_day },
  }
}

/** Distinct keys looked up by one PostgreSQL query at most; a turn with more sends more queries. */
const MAX_HASHES_PER_LOOKUP = 64
/** The lookup's parameter names, by position. */
const HASH_PARAMS = Array.from({ length: MAX_HASHES_PER_LOOKUP }, (_, i) => `hash${i}`)

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

  /**
   * The live key with this hash, if its user is not disabled. On PostgreSQL, lookups asked for in
   * one turn of the event loop share one query (see `#lookUpTogether`).
   */
  ownerOf(keyHash: string): Promise<FoundOwner | undefined> {
    return this.dialect === 'postgres' ? this.#lookUpTogether(keyHash) : this.#ownerOnSqlite(keyHash)
  }

  async #ownerOnSqlite(keyHash: string): Promise<FoundOwner | undefined> {
    const { rows } = await this.prepared.run(
      this.db as Kysely<unknown>,
      'api_keys.ownerOf',
      () => this.#owners().where('api_keys.key_hash', '=', param('hash')),
      { hash: keyHash },
    )
    const row = rows[0]
    return row && { owner: toOwner(row), snapshot: undefined }
  }

  /** Waiters for the next PostgreSQL lookup, by key hash; sent once this turn of the loop ends. */
  #waiting = new Map<string, Waiter[]>()

  /**
   * Every request looks its key up on PostgreSQL (other replicas may have revoked it, and the
   * snapshot is the request's data generation), so under load many lookups of the same few keys
   * are asked for at once. They wait for the end of this turn of the event loop and go as one
   * query (one per 64 distinct keys). Its snapshot is taken after every one of those requests
   * arrived, so it sees everything committed before any of them — the same guarantee as a lookup
   * of its own.
   */
  #lookUpTogether(keyHash: string): Promise<FoundOwner | undefined> {
    return new Promise((resolve, reject) => {
      const waiters = this.#waiting.get(keyHash)
      if (waiters) waiters.push({ resolve, reject })
      else {
        if (this.#waiting.size === 0) setImmediate(() => this.#sendLookups())
        this.#waiting.set(keyHash, [{ resolve, reject }])
      }
    })
  }

  async #sendLookups(): Promise<void> {
    const batch = this.#waiting
    this.#waiting = new Map()
    const hashes = [...batch.keys()]
    await Promise.all(
      Array.from({ length: Math.ceil(hashes.length / MAX_HASHES_PER_LOOKUP) }, (_, i) =>
        this.#lookUp(hashes.slice(i * MAX_HASHES_PER_LOOKUP, (i + 1) * MAX_HASHES_PER_LOOKUP), batch),
      ),
    )
  }

  /** One query for up to `MAX_HASHES_PER_LOOKUP` hashes; settles their waiters in `batch`. */
  async #lookUp(hashes: readonly string[], batch: Map<string, Waiter[]>): Promise<void> {
    // Padded to a power of two with repeats of the first hash, so a few query texts serve every
    // batch size (each prepared once per connection); the repeats' rows are skipped below.
    let size = 1
    while (size < hashes.length) size *= 2
    const values: Record<string, string> = {}
    for (let i = 0; i < size; i++) values[HASH_PARAMS[i]!] = hashes[i] ?? hashes[0]!
    try {
      const { rows } = await this.prepared.run(
        this.db as Kysely<unknown>,
        `api_keys.ownersOf.${size}`,
        () => {
          let query = this.#ownerByHash(HASH_PARAMS[0]!)
          for (let i = 1; i < size; i++) query = query.unionAll(this.#ownerByHash(HASH_PARAMS[i]!))
          return query
        },
        values,
      )
      for (const row of rows) {
        const waiters = batch.get(row.key_hash)
        if (!waiters) continue
        batch.delete(row.key_hash)
        const found = { owner: toOwner(row), snapshot: row.snapshot }
        for (const waiter of waiters) waiter.resolve(found)
      }
      for (const hash of hashes) for (const waiter of batch.get(hash) ?? []) waiter.resolve(undefined)
    } catch (error) {
      for (const hash of hashes) for (const waiter of batch.get(hash) ?? []) waiter.reject(error)
    }
  }

  /**
   * The owner of the key with the hash given as the parameter `name`, by its unique index. A batch
   * of hashes is a UNION ALL of these, not `key_hash = any($1)`: PostgreSQL plans a prepared
   * statement once for any array, guessing ten elements, and on tables of a few thousand keys and
   * users it picks a hash join over sequential scans of both, which cost ~3× the index lookups
   * (~100 µs of server CPU against ~30 for one key; `IN ($1, …, $8)` fared worse). Every branch of
   * the union is one unique-index lookup whatever the statistics say.
   */
  #ownerByHash(name: string) {
    return this.#owners()
      .select(['api_keys.key_hash', sql<string>`pg_current_snapshot()::text`.as('snapshot')])
      .where('api_keys.key_hash', '=', param(name))
  }

  #owners() {
    return this.db
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
      .where('api_keys.revoked_at', 'is', null)
      .where('users.disabled_at', 'is', null)
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
