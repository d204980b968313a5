import { describe, expect, it } from 'vitest'
import { billedTime, billingRows, instant } from '../../src/cli/commands/billing.js'
import { gpuView, selectGpus } from '../../src/cli/commands/gpus.js'
import type { V1, V2 } from '../../src/client/index.js'

const gpu = (id: string, memory: number, secure: number, community: number, dcs: Record<string, string>) =>
  ({
    id,
    name: id,
    pool: null,
    manufacturer: 'NVIDIA',
    memory,
    secure: true,
    community: true,
    price: { secure, community },
    maxCount: { secure: 8, community: 4 },
    availability: Object.values(dcs).includes('HIGH') ? 'HIGH' : Object.keys(dcs).length > 0 ? 'LOW' : 'NONE',
    dataCenters: Object.entries(dcs).map(([dc, availability]) => ({ id: dc, name: dc, availability })),
  }) as V2.GpuType

const A = gpu('A', 24, 0.5, 0.2, { 'EU-RO-1': 'LOW', 'US-TX-3': 'HIGH' })
const B = gpu('B', 80, 1.5, 1.0, { 'US-TX-3': 'LOW' })
const C = gpu('C', 48, 0.4, 0.3, {})

describe('podplane gpus rows', () => {
  it('keeps the catalog order unless asked to sort, by the chosen cloud for price', () => {
    expect(selectGpus([A, B, C], { cloud: 'SECURE' }).map((g) => g.id)).toEqual(['A', 'B', 'C'])
    expect(selectGpus([A, B, C], { cloud: 'SECURE', sort: 'price' }).map((g) => g.id)).toEqual([
      'C',
      'A',
      'B',
    ])
    expect(selectGpus([A, B, C], { cloud: 'COMMUNITY', sort: 'price' }).map((g) => g.id)).toEqual([
      'A',
      'C',
      'B',
    ])
    expect(selectGpus([B, C, A], { cloud: 'SECURE', sort: 'memory' }).map((g) => g.id)).toEqual([
      'A',
      'C',
      'B',
    ])
    expect(selectGpus([C, B, A], { cloud: 'SECURE', sort: 'name' }).map((g) => g.id)).toEqual(['A', 'B', 'C'])
  })

  it('filters to what is available, big enough, or stocked in a data center', () => {
    expect(selectGpus([A, B, C], { cloud: 'SECURE', available: true }).map((g) => g.id)).toEqual(['A', 'B'])
    expect(selectGpus([A, B, C], { cloud: 'SECURE', minMemory: 48 }).map((g) => g.id)).toEqual(['B', 'C'])
    expect(selectGpus([A, B, C], { cloud: 'SECURE', dc: ['EU-RO-1'] }).map((g) => g.id)).toEqual(['A'])
    expect(selectGpus([A, B, C], { cloud: 'SECURE', dc: ['EU-RO-1', 'US-TX-3'] }).map((g) => g.id)).toEqual([
      'A',
      'B',
    ])
  })

  it('shows prices with cents, a column per --dc, and every stocked data center in wide', () => {
    const view = gpuView('COMMUNITY', ['EU-RO-1'])
    expect(view.columns(A)).toEqual({
      id: 'A',
      mem_gb: 24,
      secure_$_hr: '0.50',
      community_$_hr: '0.20',
      availability: 'HIGH',
      'EU-RO-1': 'LOW',
    })
    expect(view.columns(B)['EU-RO-1']).toBe('NONE')
    expect(view.wide?.(A)).toEqual({ name: 'A', max_count: 4, datacenters: 'US-TX-3:HIGH EU-RO-1:LOW' })
    expect(gpuView('SECURE', []).columns(gpu('D', 8, 0.345, 0.1, {}))).toMatchObject({ secure_$_hr: '0.345' })
  })
})

describe('podplane billing rows', () => {
  const records: V1.BillingRecord[] = [
    {
      time: '2026-11-02T00:00:00.000Z',
      podId: 'p2',
      amount: 0.25,
      diskSpaceBilledGb: 20,
      timeBilledMs: 1_800_000,
    },
    {
      time: '2026-11-01T00:00:00.000Z',
      podId: 'p1',
      amount: 1.5,
      diskSpaceBilledGb: 70,
      timeBilledMs: 7_200_000,
    },
  ]

  it('has a row per bucket, oldest first, and a TOTAL of amount and time billed', () => {
    expect(billingRows(records, 'pods', 'day')).toEqual([
      { time: '2026-11-01', pod: 'p1', billed: '2h00m', disk_gb: 70, $: '1.5000' },
      { time: '2026-11-02', pod: 'p2', billed: '30m00s', disk_gb: 20, $: '0.2500' },
      { time: 'TOTAL', pod: '', billed: '2h30m', disk_gb: '', $: '1.7500' },
    ])
    expect(billingRows(records, 'pods', 'hour')[0]).toMatchObject({ time: '2026-11-01 00:00' })
  })

  it('shows volumes without time billed, and tiny amounts as <0.0001', () => {
    const volumes: V1.NetworkVolumeBillingRecord[] = [
      {
        time: '2026-11-01T00:00:00.000Z',
        amount: 0.00001,
        diskSpaceBilledGb: 10,
        highPerformanceStorageAmount: 0,
        highPerformanceStorageDiskSpaceBilledGb: 0,
      },
    ]
    expect(billingRows(volumes, 'volumes', 'day')).toEqual([
      { time: '2026-11-01', disk_gb: 10, $: '<0.0001' },
      { time: 'TOTAL', disk_gb: '', $: '<0.0001' },
    ])
  })

  it('reads --since as an ISO time or an age', () => {
    const now = Date.parse('2026-11-28T12:00:00.000Z')
    expect(instant('6h', now)).toBe('2026-11-28T06:00:00.000Z')
    expect(instant('7d', now)).toBe('2026-11-21T12:00:00.000Z')
    expect(instant('2026-11-01', now)).toBe('2026-11-01T00:00:00.000Z')
    expect(() => instant('yesterday', now)).toThrow(/ISO date/)
    expect(billedTime(12_400)).toBe('12s')
    expect(billedTime(185_000)).toBe('3m05s')
  })
})
