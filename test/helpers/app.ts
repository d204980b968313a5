import { randomBytes } from 'node:crypto'
import type { Kysely } from 'kysely'
import { buildApp } from '../../src/api/app.js'
import type { App, AppContext } from '../../src/api/context.js'
import { type Clock, ManualClock } from '../../src/clock.js'
import { createContext } from '../../src/context.js'
import { generateApiKey, hashApiKey } from '../../src/domain/api-keys.js'
import type { RateLimits } from '../../src/domain/rate-limits.js'
import { officialTemplates } from '../../src/fleet/official-templates.js'
import { catalogRows } from '../../src/fleet/seed.js'
import { openDatabase } from '../../src/store/database.js'
import type { MachineRow } from '../../src/store/machines.js'
import type { PoolOptions } from '../../src/store/postgres/connect.js'
import type { Database } from '../../src/store/schema.js'
import { createStore, type Store } from '../../src/store/store.js'
import { scratchDatabase } from './databases.js'
import { machine } from './machines.js'
import { assertMatchesSpec } from './spec.js'
import { assertMatchesV2Spec } from './spec-v2.js'

export interface TestResponse<T = any> {
  readonly status: number
  readonly body: T
  readonly raw: string
  readonly headers: Record<string, unknown>
}

export interface TestApp {
  readonly app: App
  /** What PODPLANE_DB would say for this app's store. */
  readonly location: string
  /** The raw database, for fixtures and for checking what was (not) written. */
  readonly db: Kysely<Database>
  readonly ctx: AppContext
  readonly store: Store
  readonly clock: ManualClock
  /** Creates a user (if new) with a fresh API key and returns the key. */
  key(userId: string, options?: { admin?: boolean }): Promise<string>
  /**
   * Sends a request through the real Fastify stack (`inject`) and checks the answer against the
   * vendored RunPod spec before handing it back.
   */
  request<T = any>(
    method: string,
    url: string,
    options?: { key?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<TestResponse<T>>
  close(): Promise<void>
}

export interface TestAppOptions {
  /** Machines to start with; a single 4× RTX 4090 host when omitted. */
  readonly machines?: readonly MachineRow[]
  readonly bootMs?: number
  /** Simulated image pull time per GB of container disk (0 unless a test is about boot timing). */
  readonly pullMsPerGb?: number
  /** Share of creates that fail (fault injection). */
  readonly failureRate?: number
  /** The app's clock; a ManualClock at 2026-01-01 unless given. */
  readonly clock?: Clock
  /** Sees the SQL of every statement the app runs. */
  readonly onQuery?: (sql: string) => void
  /** PostgreSQL pool settings (size, application name). */
  readonly pool?: PoolOptions
  /** The v2 API's default quotas; generous unless a test is about rate limits. */
  readonly rateLimits?: RateLimits
}

/** High enough that no test but the rate-limit ones meets them, so headers still show. */
export const TEST_RATE_LIMITS: RateLimits = { minute: 1_000_000, hour: 10_000_000, day: 100_000_000 }

/** A podplane app on a fresh SQLite file with a known fleet and a clock that moves only when told. */
export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const scratch = await scratchDatabase()
  const handle = await openDatabase(scratch.location, {
    onQuery: (sql) => options.onQuery?.(sql),
    pool: options.pool,
  })
  const store = createStore(handle)
  await store.catalog.insertMissing(catalogRows())
  await store.machines.insertMany(options.machines ?? [machine()])
  await store.templates.insertMissing(officialTemplates())
  const clock = options.clock ?? new ManualClock()
  const ctx = await createContext(
    store,
    {
      simBootMs: options.bootMs ?? 0,
      simPullMsPerGb: options.pullMsPerGb ?? 0,
      simFailureRate: options.failureRate ?? 0,
      secret: 'test-secret',
      rateLimits: options.rateLimits ?? TEST_RATE_LIMITS,
    },
    clock,
  )
  const app = await buildApp(ctx)
  await app.ready()
  return {
    app,
    clock: clock as ManualClock,
    location: scratch.location,
    db: handle.db,
    ctx,
    store,
    async key(userId, keyOptions = {}) {
      const key = generateApiKey()
      await store.apiKeys.ensureUser(userId, clock.now())
      await store.apiKeys.insert({
        id: randomBytes(6).toString('hex'),
        user_id: userId,
        name: 'test',
        key_hash: hashApiKey(key),
        key_prefix: key.slice(0, 8),
        is_admin: keyOptions.admin ? 1 : 0,
        created_at: clock.now(),
        revoked_at: null,
      })
      return key
    },
    async request(method, url, o = {}) {
      const headers: Record<string, string> = { ...o.headers }
      if (o.key) headers.authorization = `Bearer ${o.key}`
      let payload: string | undefined
      if (o.rawBody !== undefined) payload = o.rawBody
      else if (o.body !== undefined) payload = JSON.stringify(o.body)
      if (payload !== undefined && !headers['content-type']) headers['content-type'] = 'application/json'
      const res = await app.inject({ method: method as never, url, headers, payload })
      const body = res.body === '' ? undefined : res.json()
      if (url.startsWith('/v2/')) {
        const metered =
          o.key !== undefined && Object.values(options.rateLimits ?? TEST_RATE_LIMITS).some((q) => q)
        assertMatchesV2Spec({ method, url, status: res.statusCode, body, headers: res.headers, metered })
      } else {
        assertMatchesSpec(method, url, res.statusCode, body)
      }
      return { status: res.statusCode, body, raw: res.body, headers: res.headers }
    },
    async close() {
      await app.close()
      await store.close()
      await scratch.drop()
    },
  }
}
