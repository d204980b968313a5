import { describe, expect, it } from 'vitest'
import { capacity } from '../../test/helpers/machines.js'
import { rankPlacements } from './place.js'
import type { CpuPlacementRequest, GpuPlacementRequest, MachineCapacity } from './types.js'

const NOW = Date.parse('2026-06-01T00:00:00Z')

const m = capacity

function gpu(o: Partial<GpuPlacementRequest> = {}): GpuPlacementRequest {
  return {
    computeType: 'GPU',
    gpuTypes: [
      { id: 'A', securePrice: 1, communityPrice: 0.5, overrideFactor: 1 },
      { id: 'B', securePrice: 2, communityPrice: 1.5, overrideFactor: 1 },
    ],
    gpuTypePriority: 'availability',
    gpuCount: 1,
    minRAMPerGPU: 8,
    minVCPUPerGPU: 2,
    allowedCudaVersions: [],
    mayPreempt: true,
    dataCenterIds: ['US-TX-3', 'EU-RO-1'],
    dataCenterPriority: 'availability',
    cloudType: 'SECURE',
    countryCodes: [],
    minDiskBandwidthMBps: 0,
    minDownloadMbps: 0,
    minUploadMbps: 0,
    supportPublicIp: false,
    diskGb: 70,
    now: NOW,
    ...o,
  }
}

const ids = (machines: MachineCapacity[], request: GpuPlacementRequest | CpuPlacementRequest) =>
  rankPlacements(machines, request).map((p) => p.machine.id)

describe('rankPlacements (GPU)', () => {
  it('keeps only machines of an acceptable GPU type with enough free GPUs', () => {
    const machines = [
      m('a'),
      m('c', { gpuTypeId: 'C' }),
      m('full', { gpuFree: 0 }),
      m('cpu', { gpuTypeId: null }),
    ]
    expect(ids(machines, gpu())).toEqual(['a'])
    expect(ids(machines, gpu({ gpuCount: 9 }))).toEqual([])
  })

  it('honours minPodGpuCount of a machine', () => {
    expect(ids([m('a', { minPodGpuCount: 2 })], gpu({ gpuCount: 1 }))).toEqual([])
    expect(ids([m('a', { minPodGpuCount: 2 })], gpu({ gpuCount: 2 }))).toEqual(['a'])
  })

  it('filters by data center, cloud, country, bandwidth, disk, CUDA and public IP', () => {
    const machines = [
      m('ro', { dataCenterId: 'EU-RO-1', countryCode: 'RO' }),
      m('ca', { dataCenterId: 'CA-MTL-1', countryCode: 'CA' }),
      m('community', { secureCloud: false, supportPublicIp: false }),
      m('slow', { diskThroughputMBps: 100, uploadMbps: 100, downloadMbps: 100 }),
      m('old', { cudaVersion: '11.8' }),
      m('small', { diskFree: 10 }),
    ]
    expect(ids(machines, gpu({ dataCenterIds: ['EU-RO-1'] }))).toEqual(['ro'])
    expect(ids(machines, gpu({ cloudType: 'COMMUNITY' }))).toEqual(['community'])
    expect(ids(machines, gpu({ cloudType: 'ALL' }))).toContain('community')
    expect(ids(machines, gpu({ cloudType: 'ALL', supportPublicIp: true }))).not.toContain('community')
    expect(ids(machines, gpu({ countryCodes: ['RO'] }))).toEqual(['ro'])
    expect(ids(machines, gpu({ minDiskBandwidthMBps: 500 }))).not.toContain('slow')
    expect(ids(machines, gpu({ minUploadMbps: 500 }))).not.toContain('slow')
    expect(ids(machines, gpu({ minDownloadMbps: 500 }))).not.toContain('slow')
    expect(ids(machines, gpu({ allowedCudaVersions: ['11.8'] }))).toEqual(['old'])
    expect(ids(machines, gpu())).not.toContain('small')
  })

  it('requires the per-GPU share of RAM and vCPUs', () => {
    const lean = m('lean', { vcpuCount: 16, memoryGb: 64 }) // 2 vCPU and 8 GB per GPU
    expect(ids([lean], gpu())).toEqual(['lean'])
    expect(ids([lean], gpu({ minRAMPerGPU: 16 }))).toEqual([])
    expect(ids([lean], gpu({ minVCPUPerGPU: 4 }))).toEqual([])
  })

  it('gives a GPU pod the machine’s per-GPU share of vCPUs and memory', () => {
    const [placement] = rankPlacements([m('a', { vcpuCount: 100, memoryGb: 1000 })], gpu({ gpuCount: 3 }))
    expect(placement).toMatchObject({ gpuCount: 3, vcpuCount: 36, memoryGb: 375, diskGb: 70 })
  })

  it('skips cordoned and failed machines, and machines in a maintenance window', () => {
    const machines = [
      m('cordoned', { cordoned: true }),
      m('failed', { failed: true }),
      m('now', { maintenanceStart: NOW - 1000, maintenanceEnd: NOW + 1000 }),
      m('later', { maintenanceStart: NOW + 1000, maintenanceEnd: NOW + 2000 }),
      m('past', { maintenanceStart: NOW - 2000, maintenanceEnd: NOW - 1000 }),
    ]
    expect(ids(machines, gpu())).toEqual(['later', 'past'])
  })

  it('with availability priority, ranks by price, then best fit, then id', () => {
    const machines = [
      m('b-cheap-cloud', { gpuTypeId: 'B', secureCloud: false }),
      m('a-roomy'),
      m('a-tight', { gpuFree: 2 }),
      m('a-tight-2', { gpuFree: 2 }),
    ]
    expect(ids(machines, gpu({ cloudType: 'ALL' }))).toEqual([
      'a-tight',
      'a-tight-2',
      'a-roomy',
      'b-cheap-cloud',
    ])
  })

  it('with custom priority, follows the caller’s order of GPU types and data centers first', () => {
    const machines = [m('a-tx'), m('b-tx', { gpuTypeId: 'B' }), m('a-ro', { dataCenterId: 'EU-RO-1' })]
    const custom = gpu({
      gpuTypes: [
        { id: 'B', securePrice: 2, communityPrice: 2, overrideFactor: 1 },
        { id: 'A', securePrice: 1, communityPrice: 1, overrideFactor: 1 },
      ],
      gpuTypePriority: 'custom',
      dataCenterIds: ['EU-RO-1', 'US-TX-3'],
      dataCenterPriority: 'custom',
    })
    expect(ids(machines, custom)).toEqual(['b-tx', 'a-ro', 'a-tx'])
  })

  it('prices a machine by its operator override when it has one', () => {
    const machines = [m('list-price'), m('discounted', { pricePerGpu: 0.5 })]
    expect(ids(machines, gpu())).toEqual(['discounted', 'list-price'])
    const spot = gpu({
      gpuTypes: [{ id: 'A', securePrice: 0.55, communityPrice: 0.3, overrideFactor: 0.55 }],
    })
    expect(rankPlacements([m('discounted', { pricePerGpu: 0.5 })], spot)[0]!.pricePerHr).toBeCloseTo(0.275, 9)
  })

  it('reclaims GPUs from interruptible pods only for on-demand requests, and only when nothing is free', () => {
    const spotFull = m('spot-full', {
      gpuFree: 0,
      spotGpus: 8,
      vcpuFree: 0,
      spotVcpus: 128,
      memoryFree: 0,
      spotMemoryGb: 1024,
    })
    const [preempting] = rankPlacements([spotFull], gpu())
    expect(preempting).toMatchObject({ preempts: true })
    expect(rankPlacements([spotFull], gpu({ mayPreempt: false }))).toEqual([])
    expect(ids([spotFull, m('free', { gpuFree: 1 })], gpu())).toEqual(['free', 'spot-full'])
    const partly = m('partly', { gpuFree: 1, spotGpus: 1 })
    expect(rankPlacements([partly], gpu({ gpuCount: 2 }))[0]).toMatchObject({ preempts: true })
    expect(rankPlacements([partly], gpu({ gpuCount: 3 }))).toEqual([])
  })

  it('returns the same best few with a limit as the head of the full ranking', () => {
    const machines = Array.from({ length: 300 }, (_, i) =>
      m(`m${String(i).padStart(3, '0')}`, {
        gpuFree: 1 + (i % 8),
        dataCenterId: i % 2 ? 'US-TX-3' : 'EU-RO-1',
      }),
    )
    const full = ids(machines, gpu())
    expect(rankPlacements(machines, gpu(), 8).map((p) => p.machine.id)).toEqual(full.slice(0, 8))
  })

  it('keeps the head of the full ranking for any limit, whatever decides the order', () => {
    let seed = 7
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31
      return seed / 2 ** 31
    }
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!
    const machines = Array.from({ length: 400 }, (_, i) =>
      m(`m${String(i).padStart(3, '0')}`, {
        gpuTypeId: pick(['A', 'B', 'C']),
        gpuFree: Math.floor(random() * 9),
        // Some fail a rule other than room and rank: the ranking must not let them in or drop others.
        dataCenterId: pick(['US-TX-3', 'EU-RO-1', 'CA-MTL-1']),
        cordoned: random() < 0.1,
        diskFree: random() < 0.1 ? 10 : 1000,
        pricePerGpu: random() < 0.3 ? pick([0.4, 0.9, 1.7]) : null,
        spotGpus: random() < 0.2 ? 4 : 0,
        spotVcpus: 64,
        spotMemoryGb: 512,
      }),
    )
    const requests = [
      gpu(),
      gpu({ gpuCount: 4, mayPreempt: true }),
      gpu({ gpuTypePriority: 'custom', dataCenterPriority: 'custom', dataCenterIds: ['EU-RO-1', 'US-TX-3'] }),
    ]
    for (const request of requests) {
      const full = ids(machines, request)
      expect(full.length).toBeGreaterThan(20)
      for (const limit of [1, 3, 8, 20])
        expect(rankPlacements(machines, request, limit).map((p) => p.machine.id)).toEqual(
          full.slice(0, limit),
        )
    }
  })

  it('is deterministic whatever order the machines come in', () => {
    const machines = Array.from({ length: 50 }, (_, i) => m(`m${i}`, { gpuFree: 1 + (i % 8) }))
    const shuffled = [...machines].reverse()
    expect(ids(shuffled, gpu())).toEqual(ids(machines, gpu()))
  })
})

describe('rankPlacements (CPU)', () => {
  const cpu = (o: Partial<CpuPlacementRequest> = {}): CpuPlacementRequest => ({
    computeType: 'CPU',
    cpuFlavors: [
      { id: 'cpu3c', ramPerVcpuGb: 2, pricePerVcpu: 0.02 },
      { id: 'cpu5c', ramPerVcpuGb: 2, pricePerVcpu: 0.03 },
    ],
    cpuFlavorPriority: 'availability',
    vcpuCount: 4,
    dataCenterIds: ['US-TX-3'],
    dataCenterPriority: 'availability',
    cloudType: 'SECURE',
    countryCodes: [],
    minDiskBandwidthMBps: 0,
    minDownloadMbps: 0,
    minUploadMbps: 0,
    supportPublicIp: false,
    diskGb: 20,
    now: NOW,
    ...o,
  })
  const host = (id: string, flavor: string, o: Partial<MachineCapacity> = {}) =>
    m(id, {
      gpuTypeId: null,
      gpuCount: 0,
      gpuFree: 0,
      cpuFlavorId: flavor,
      vcpuCount: 32,
      vcpuFree: 32,
      ...o,
    })

  it('places CPU pods only on CPU hosts of an acceptable flavor with room for the vCPUs and RAM', () => {
    const machines = [
      host('c3', 'cpu3c'),
      host('c5', 'cpu5c'),
      host('m3', 'cpu3m'),
      m('gpu'),
      host('busy', 'cpu3c', { vcpuFree: 2 }),
    ]
    expect(ids(machines, cpu())).toEqual(['c3', 'c5'])
    const [placement] = rankPlacements(machines, cpu())
    expect(placement).toMatchObject({ gpuCount: 0, vcpuCount: 4, memoryGb: 8 })
    expect(ids([host('lowmem', 'cpu3c', { memoryFree: 4 })], cpu())).toEqual([])
  })

  it('follows cpuFlavorPriority custom order', () => {
    const machines = [host('c3', 'cpu3c'), host('c5', 'cpu5c')]
    const order = cpu({
      cpuFlavors: [
        { id: 'cpu5c', ramPerVcpuGb: 2, pricePerVcpu: 0.03 },
        { id: 'cpu3c', ramPerVcpuGb: 2, pricePerVcpu: 0.02 },
      ],
      cpuFlavorPriority: 'custom',
    })
    expect(ids(machines, order)).toEqual(['c5', 'c3'])
  })
})
