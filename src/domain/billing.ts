import { badRequest } from './errors.js'
import { adjustedCostPerHr } from './pricing.js'
import type { SavingsPlan } from './resources.js'
import type { UsageInterval } from './usage.js'

export const BUCKET_SIZES = ['hour', 'day', 'week', 'month', 'year'] as const
export type BucketSize = (typeof BUCKET_SIZES)[number]

const HOUR = 3_600_000
const DAY = 24 * HOUR
/** More buckets than this per request is a mistake (hourly buckets over years). */
export const MAX_BUCKETS = 10_000

/** Midnight UTC of a date in any year (`Date.UTC` would read years 0–99 as 1900–1999). */
function utc(year: number, month: number, day: number): number {
  const d = new Date(0)
  d.setUTCFullYear(year, month, day)
  return d.getTime()
}

/** The start (UTC) of the bucket holding `t`. Weeks start on Monday, as ISO weeks do. */
export function bucketStart(t: number, size: BucketSize): number {
  const d = new Date(t)
  switch (size) {
    case 'hour':
      return t - (((t % HOUR) + HOUR) % HOUR)
    case 'day':
      return utc(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
    case 'week': {
      const day = utc(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
      return day - ((d.getUTCDay() + 6) % 7) * DAY
    }
    case 'month':
      return utc(d.getUTCFullYear(), d.getUTCMonth(), 1)
    case 'year':
      return utc(d.getUTCFullYear(), 0, 1)
  }
}

export function nextBucket(start: number, size: BucketSize): number {
  const d = new Date(start)
  switch (size) {
    case 'hour':
      return start + HOUR
    case 'day':
      return start + DAY
    case 'week':
      return start + 7 * DAY
    case 'month':
      return utc(d.getUTCFullYear(), d.getUTCMonth() + 1, 1)
    case 'year':
      return utc(d.getUTCFullYear() + 1, 0, 1)
  }
}

/** What one group spent in one bucket. */
export interface BucketTotal {
  readonly bucket: number
  readonly group: string
  /** GPU compute, USD. */
  gpuAmount: number
  /** CPU compute, USD. */
  cpuAmount: number
  /** Disk and volumes, USD. */
  diskAmount: number
  /** Milliseconds of running compute. */
  runningMs: number
  /** Largest disk billed at any moment in the bucket, GB. */
  diskGb: number
}

export interface BillingRange {
  readonly from: number
  readonly to: number
  readonly bucketSize: BucketSize
}

/** Checks and completes a billing range: `to` defaults to now, `from` to 30 days before `to`. */
export function billingRange(
  q: { startTime?: string; endTime?: string; bucketSize?: BucketSize },
  now: number,
) {
  const to = q.endTime === undefined ? now : Date.parse(q.endTime)
  const from = q.startTime === undefined ? to - 30 * DAY : Date.parse(q.startTime)
  if (Number.isNaN(from) || Number.isNaN(to))
    throw badRequest('startTime and endTime must be ISO 8601 date-times')
  if (from >= to) throw badRequest('startTime must be before endTime')
  const bucketSize = q.bucketSize ?? 'day'
  bucketStarts(from, to, bucketSize)
  return { from, to, bucketSize }
}

/** The starts of the buckets that [from, to) touches; more than a sane number is a 400. */
export function bucketStarts(from: number, to: number, size: BucketSize): number[] {
  const starts: number[] = []
  for (let b = bucketStart(from, size); b < to && starts.length <= MAX_BUCKETS; b = nextBucket(b, size))
    starts.push(b)
  if (starts.length > MAX_BUCKETS) {
    throw badRequest(`the range holds more than ${MAX_BUCKETS} ${size} buckets; use a larger bucketSize`)
  }
  return starts
}

/** Moments inside [start, end) where a savings plan of this pod starts or ends. */
function planEdges(plans: readonly SavingsPlan[], start: number, end: number): number[] {
  const edges = new Set<number>()
  for (const p of plans) {
    if (p.startTime > start && p.startTime < end) edges.add(p.startTime)
    if (p.endTime > start && p.endTime < end) edges.add(p.endTime)
  }
  return [...edges].sort((a, b) => a - b)
}

/**
 * Splits usage into buckets and groups. Each interval is clipped to the range, cut at bucket
 * boundaries and at savings-plan edges, and priced piecewise, so the buckets always add up to
 * exactly the usage in the range.
 */
export function billUsage(
  intervals: readonly UsageInterval[],
  plansByPod: ReadonlyMap<string, readonly SavingsPlan[]>,
  range: BillingRange,
  groupOf: (interval: UsageInterval) => string,
  now: number,
): BucketTotal[] {
  const totals = new Map<string, BucketTotal>()
  for (const interval of intervals) {
    const start = Math.max(interval.startedAt, range.from)
    const end = Math.min(interval.endedAt ?? now, range.to)
    if (end <= start) continue
    const group = groupOf(interval)
    const plans =
      interval.kind === 'pod_running' && interval.podId ? (plansByPod.get(interval.podId) ?? []) : []
    const cuts = planEdges(plans, start, end)
    for (let b = bucketStart(start, range.bucketSize); b < end; b = nextBucket(b, range.bucketSize)) {
      const segStart = Math.max(start, b)
      const segEnd = Math.min(end, nextBucket(b, range.bucketSize))
      const key = `${b}\u0000${group}`
      let total = totals.get(key)
      if (!total) {
        total = { bucket: b, group, gpuAmount: 0, cpuAmount: 0, diskAmount: 0, runningMs: 0, diskGb: 0 }
        totals.set(key, total)
      }
      const points = [segStart, ...cuts.filter((c) => c > segStart && c < segEnd), segEnd]
      for (let i = 0; i + 1 < points.length; i++) {
        const from = points[i]!
        const hours = (points[i + 1]! - from) / HOUR
        const computeRate =
          plans.length > 0 ? adjustedCostPerHr(interval.computePerHr, plans, from) : interval.computePerHr
        if (interval.gpuTypeId !== null) total.gpuAmount += computeRate * hours
        else total.cpuAmount += computeRate * hours
        total.diskAmount += interval.diskPerHr * hours
      }
      if (interval.kind === 'pod_running') total.runningMs += segEnd - segStart
      total.diskGb = Math.max(total.diskGb, interval.diskGb)
    }
  }
  return [...totals.values()].sort(
    (a, b) => a.bucket - b.bucket || (a.group < b.group ? -1 : a.group > b.group ? 1 : 0),
  )
}
