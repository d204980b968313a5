import { type BucketTotal, nextBucket } from '../../../domain/billing.js'
import { iso } from '../common.js'
import type { BillingWindow } from './window.js'

/** Amounts keep full precision so buckets add up; only float noise below a nano-dollar is cut. */
export const usd = (x: number) => Math.round(x * 1e9) / 1e9

export type Amounts<K extends string> = Record<K, number>

/** A bucket's half-open time range. */
export function timeRange(window: BillingWindow, bucket: number) {
  return { startTime: iso(bucket), endTime: iso(nextBucket(bucket, window.bucketSize)) }
}

/** The window as the metadata echoes it. */
export function resolvedQuery(window: BillingWindow) {
  return { startTime: iso(window.from), endTime: iso(window.to), bucketSize: window.bucketSize }
}

/** Every bucket once, with each source's totals that fell into it, for routes with one row per bucket. */
export function perBucket(window: BillingWindow, ...sources: readonly BucketTotal[][]) {
  const byBucket = sources.map((totals) => {
    const map = new Map<number, BucketTotal[]>()
    for (const t of totals) map.set(t.bucket, [...(map.get(t.bucket) ?? []), t])
    return map
  })
  return window.buckets.map((bucket) => ({ bucket, totals: byBucket.map((map) => map.get(bucket) ?? []) }))
}

/** One row per bucket for every group that spent anything in the window ("buckets times resources"). */
export function perGroup(window: BillingWindow, totals: readonly BucketTotal[]) {
  const byKey = new Map(totals.map((t) => [`${t.bucket}\u0000${t.group}`, t]))
  const groups = [...new Set(totals.map((t) => t.group))].sort()
  return window.buckets.flatMap((bucket) =>
    groups.map((group) => ({ bucket, group, total: byKey.get(`${bucket}\u0000${group}`) })),
  )
}

/** GPU, CPU and disk spend of some totals (zero for none), unrounded. */
export function compute(totals: readonly (BucketTotal | undefined)[]) {
  let gpu = 0
  let cpu = 0
  let disk = 0
  for (const t of totals) {
    gpu += t?.gpuAmount ?? 0
    cpu += t?.cpuAmount ?? 0
    disk += t?.diskAmount ?? 0
  }
  return { gpu, cpu, disk }
}

/**
 * Rounds each component and adds a `totalAmount` that is the sum of the rounded components, so a
 * record adds up exactly as shown (rounding the unrounded sum could differ by a nano-dollar).
 */
export function withTotal<K extends string>(components: Amounts<K>): Amounts<K | 'totalAmount'> {
  const rounded = {} as Amounts<K>
  let total = 0
  for (const key of Object.keys(components) as K[]) {
    rounded[key] = usd(components[key])
    total += rounded[key]
  }
  return { totalAmount: usd(total), ...rounded }
}

/** Sums each amount over the records, for the metadata's totals. */
export function sumAmounts<K extends string>(keys: readonly K[], records: readonly Amounts<K>[]): Amounts<K> {
  const totals = {} as Amounts<K>
  for (const key of keys) totals[key] = usd(records.reduce((sum, r) => sum + r[key], 0))
  return totals
}

/** All-zero amounts, for spend podplane has no source of (public endpoints, platform fees). */
export function zeros<K extends string>(keys: readonly K[]): Amounts<K> {
  return Object.fromEntries(keys.map((k) => [k, 0])) as Amounts<K>
}
