import type { V1 } from '../../../src/client/index.js'

export interface SpendTable {
  /** The buckets' days, oldest first (YYYY-MM-DD). */
  readonly days: string[]
  /** One row per group: its amount per day and its total, the biggest first. */
  readonly groups: { name: string; values: number[]; total: number }[]
}

/** Billing records (one per group and bucket) into a day × group table for charts. */
export function spendByDay(
  records: readonly V1.BillingRecord[],
  groupOf: (r: V1.BillingRecord) => string,
): SpendTable {
  const days = [...new Set(records.map((r) => r.time.slice(0, 10)))].sort()
  const index = new Map(days.map((day, i) => [day, i]))
  const groups = new Map<string, number[]>()
  for (const r of records) {
    const name = groupOf(r) || 'other'
    const values = groups.get(name) ?? days.map(() => 0)
    values[index.get(r.time.slice(0, 10))!]! += r.amount
    groups.set(name, values)
  }
  return {
    days,
    groups: [...groups.entries()]
      .map(([name, values]) => ({ name, values, total: values.reduce((a, b) => a + b, 0) }))
      .sort((a, b) => b.total - a.total),
  }
}
