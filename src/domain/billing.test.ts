import { describe, expect, it } from 'vitest'
import { billUsage, bucketStart, nextBucket } from './billing.js'
import type { UsageInterval } from './usage.js'

const at = (iso: string) => Date.parse(iso)
const iso = (ms: number) => new Date(ms).toISOString()

describe('buckets', () => {
  it('align to UTC hours, days, ISO weeks (Monday), months and years', () => {
    const t = at('2026-03-18T13:45:10.123Z') // a Wednesday
    expect(iso(bucketStart(t, 'hour'))).toBe('2026-03-18T13:00:00.000Z')
    expect(iso(bucketStart(t, 'day'))).toBe('2026-03-18T00:00:00.000Z')
    expect(iso(bucketStart(t, 'week'))).toBe('2026-03-16T00:00:00.000Z')
    expect(iso(bucketStart(at('2026-03-22T23:00:00Z'), 'week'))).toBe('2026-03-16T00:00:00.000Z') // Sunday
    expect(iso(bucketStart(t, 'month'))).toBe('2026-03-01T00:00:00.000Z')
    expect(iso(bucketStart(t, 'year'))).toBe('2026-01-01T00:00:00.000Z')
    expect(iso(nextBucket(at('2026-01-01T00:00:00Z'), 'month'))).toBe('2026-02-01T00:00:00.000Z')
    expect(iso(nextBucket(at('2024-02-01T00:00:00Z'), 'month'))).toBe('2024-03-01T00:00:00.000Z')
    expect(iso(nextBucket(at('2026-12-01T00:00:00Z'), 'month'))).toBe('2027-01-01T00:00:00.000Z')
  })
})

describe('billUsage', () => {
  const interval = (o: Partial<UsageInterval>): UsageInterval => ({
    id: 'i',
    userId: 'u',
    kind: 'pod_running',
    podId: 'p',
    endpointId: null,
    networkVolumeId: null,
    gpuTypeId: 'G',
    dataCenterId: 'DC',
    gpuCount: 1,
    computePerHr: 2,
    diskGb: 10,
    diskPerHr: 0.01,
    volumeType: null,
    startedAt: at('2026-01-01T22:00:00Z'),
    endedAt: at('2026-01-02T03:00:00Z'),
    ...o,
  })
  const range = {
    from: at('2026-01-01T00:00:00Z'),
    to: at('2026-01-03T00:00:00Z'),
    bucketSize: 'day' as const,
  }

  it('splits an interval across buckets in proportion to time', () => {
    const totals = billUsage([interval({})], new Map(), range, () => 'g', 0)
    expect(totals.map((t) => [iso(t.bucket), t.gpuAmount, t.runningMs])).toEqual([
      ['2026-01-01T00:00:00.000Z', 4, 2 * 3_600_000],
      ['2026-01-02T00:00:00.000Z', 6, 3 * 3_600_000],
    ])
    expect(totals[0]!.diskAmount).toBeCloseTo(0.02, 12)
  })

  it('bills an open interval up to now, and nothing outside the range', () => {
    const open = interval({ startedAt: at('2026-01-02T23:00:00Z'), endedAt: null })
    const totals = billUsage([open], new Map(), range, () => 'g', at('2026-01-05T00:00:00Z'))
    expect(totals).toHaveLength(1)
    expect(totals[0]!.gpuAmount).toBe(2)
  })

  it('prices the part inside a savings plan at the plan’s rate', () => {
    const plan = {
      id: 's',
      userId: 'u',
      podId: 'p',
      gpuTypeId: 'G',
      costPerHr: 1,
      startTime: at('2026-01-02T01:00:00Z'),
      endTime: at('2026-01-02T02:00:00Z'),
    }
    const totals = billUsage([interval({})], new Map([['p', [plan]]]), range, () => 'g', 0)
    expect(totals[1]!.gpuAmount).toBe(2 + 1 + 2)
  })

  it('counts CPU compute apart from GPU compute', () => {
    const totals = billUsage([interval({ gpuTypeId: null })], new Map(), range, () => 'g', 0)
    expect(totals[0]).toMatchObject({ gpuAmount: 0, cpuAmount: 4 })
  })
})
