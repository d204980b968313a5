import {
  type BillingRange,
  type BucketSize,
  bucketStart,
  bucketStarts,
  MAX_BUCKETS,
  nextBucket,
} from '../../../domain/billing.js'
import { badRequest } from '../../../domain/errors.js'

const DAY = 24 * 3_600_000
/** RFC 3339 has four-digit years: a window must start in year 0000 or later and end before 10000. */
const EARLIEST = Date.parse('0000-01-01T00:00:00Z')
const LATEST = Date.parse('9999-12-31T23:59:59.999Z')

export interface WindowQuery {
  readonly startTime?: string
  readonly endTime?: string
  readonly bucketSize?: BucketSize
  readonly lastN?: number
}

/** A billing range aligned to whole buckets, with the buckets it holds. */
export interface BillingWindow extends BillingRange {
  readonly buckets: readonly number[]
}

/**
 * v2's billing window: `lastN` buckets ending with the current one, or `startTime` (default 30
 * days before the end) snapped down and `endTime` (default now) snapped up to bucket boundaries,
 * so the window is exactly the buckets returned.
 */
export function billingWindow(q: WindowQuery, now: number): BillingWindow {
  const bucketSize = q.bucketSize ?? 'day'
  let from: number
  let to: number
  if (q.lastN !== undefined) {
    if (q.startTime !== undefined || q.endTime !== undefined)
      throw badRequest('lastN: give either lastN or startTime/endTime, not both')
    if (q.lastN > MAX_BUCKETS) throw badRequest(`lastN: at most ${MAX_BUCKETS} buckets`)
    from = bucketStart(now, bucketSize)
    to = nextBucket(from, bucketSize)
    for (let i = 1; i < q.lastN; i++) from = bucketStart(from - 1, bucketSize)
  } else {
    const end = q.endTime === undefined ? now : Date.parse(q.endTime)
    const start = q.startTime === undefined ? end - 30 * DAY : Date.parse(q.startTime)
    from = bucketStart(start, bucketSize)
    to = bucketStart(end, bucketSize) === end ? end : nextBucket(bucketStart(end, bucketSize), bucketSize)
    if (start >= end) throw badRequest('startTime must be before endTime')
  }
  if (from < EARLIEST || to > LATEST)
    throw badRequest(
      `the window must lie within the years 0000 to 9999 (RFC 3339); ask for fewer ${bucketSize}s`,
    )
  return { from, to, bucketSize, buckets: bucketStarts(from, to, bucketSize) }
}
