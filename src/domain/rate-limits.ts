import type { RateCounterRepository } from '../store/rate-counters.js'

/** The windows RunPod's v2 API meters, with their lengths in seconds. */
export const RATE_WINDOWS = [
  { name: 'minute', seconds: 60 },
  { name: 'hour', seconds: 3_600 },
  { name: 'day', seconds: 86_400 },
] as const

export type RateWindow = (typeof RATE_WINDOWS)[number]['name']

/** Requests allowed per window; a window left out (or null) is not limited. */
export type RateLimits = Readonly<Partial<Record<RateWindow, number | null>>>

/** RunPod's published v2 quotas, the default when PODPLANE_RATE_LIMITS is unset. */
export const RUNPOD_RATE_LIMITS: RateLimits = Object.freeze({ minute: 60, hour: 3_000, day: 50_000 })

export interface WindowState {
  readonly window: RateWindow
  readonly seconds: number
  readonly quota: number
  readonly remaining: number
  /** Seconds until this window starts over. */
  readonly resetIn: number
}

export interface RateDecision {
  /** Every limited window; empty for an exempt caller. */
  readonly windows: readonly WindowState[]
  /** The window that refused this request, if one did. */
  readonly exceeded?: WindowState
}

/** Parses `minute=60,hour=3000,day=50000` (any subset) or `off`. */
export function parseRateLimits(text: string): RateLimits {
  const trimmed = text.trim()
  if (trimmed === 'off') return {}
  const limits: Partial<Record<RateWindow, number>> = {}
  for (const part of trimmed.split(',')) {
    const [name, value] = part.split('=').map((s) => s.trim())
    if (!RATE_WINDOWS.some((w) => w.name === name))
      throw new Error(`unknown rate limit window "${name}": use minute, hour or day`)
    const quota = Number(value)
    if (!Number.isInteger(quota) || quota < 1)
      throw new Error(`rate limit for ${name} must be a positive integer, got "${value}"`)
    limits[name as RateWindow] = quota
  }
  return limits
}

/** A user's own quotas where the operator set them, the server's defaults elsewhere. */
export function effectiveLimits(defaults: RateLimits, own: RateLimits): RateLimits {
  const limits: Partial<Record<RateWindow, number | null>> = {}
  for (const { name } of RATE_WINDOWS) limits[name] = own[name] ?? defaults[name] ?? null
  return limits
}

interface Counted {
  readonly window: RateWindow
  readonly seconds: number
  readonly quota: number
  readonly windowStart: number
}

/**
 * Fixed windows aligned to the clock (a minute window starts on the minute), counted per user.
 * Every request counts, refused ones included, as RunPod's quotas do.
 */
export abstract class RateLimiter {
  async hit(userId: string, limits: RateLimits, now: number): Promise<RateDecision> {
    const counted: Counted[] = []
    for (const { name, seconds } of RATE_WINDOWS) {
      const quota = limits[name]
      if (quota === undefined || quota === null) continue
      const length = seconds * 1000
      counted.push({ window: name, seconds, quota, windowStart: Math.floor(now / length) * length })
    }
    if (counted.length === 0) return { windows: [] }
    const counts = await this.count(userId, counted, now)
    const windows = counted.map((c, i) => ({
      window: c.window,
      seconds: c.seconds,
      quota: c.quota,
      remaining: Math.max(0, c.quota - counts[i]!),
      resetIn: Math.max(1, Math.ceil((c.windowStart + c.seconds * 1000 - now) / 1000)),
    }))
    // When several windows are spent, the client must wait for the one that reopens last.
    const exceeded = windows.filter((w, i) => counts[i]! > w.quota).sort((a, b) => b.resetIn - a.resetIn)[0]
    return exceeded ? { windows, exceeded } : { windows }
  }

  /** Counts one request in each window and returns the counts including it. */
  protected abstract count(userId: string, windows: readonly Counted[], now: number): Promise<number[]>
}

/** Counts in this process: right for SQLite, where one process serves the store. */
export class MemoryRateLimiter extends RateLimiter {
  readonly #counts = new Map<string, number>()
  #sweptAt = 0

  protected async count(userId: string, windows: readonly Counted[], now: number): Promise<number[]> {
    if (now - this.#sweptAt > 60_000) this.sweep(now)
    return windows.map((w) => {
      const key = `${userId}\u0000${w.window}\u0000${w.windowStart}`
      const count = (this.#counts.get(key) ?? 0) + 1
      this.#counts.set(key, count)
      return count
    })
  }

  private sweep(now: number): void {
    this.#sweptAt = now
    for (const key of this.#counts.keys()) {
      const [, window, start] = key.split('\u0000')
      const seconds = RATE_WINDOWS.find((w) => w.name === window)!.seconds
      if (Number(start) + seconds * 1000 <= now) this.#counts.delete(key)
    }
  }
}

/** Counts in the database, so every replica on a PostgreSQL store spends one quota. */
export class StoreRateLimiter extends RateLimiter {
  #prunedAt = 0

  constructor(private readonly counters: RateCounterRepository) {
    super()
  }

  protected async count(userId: string, windows: readonly Counted[], now: number): Promise<number[]> {
    if (now - this.#prunedAt > 10 * 60_000) {
      this.#prunedAt = now
      // Every window ends within a day; older counts are history.
      this.counters.prune(now - 2 * 86_400_000).catch(() => undefined)
    }
    return this.counters.hit(userId, windows)
  }
}
