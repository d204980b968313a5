import { describe, expect, it } from 'vitest'
import { capacity } from '../../test/helpers/machines.js'
import { availabilityLevel, stockOf } from './availability.js'
import type { CpuPlacementRequest, GpuPlacementRequest, MachineCapacity } from './types.js'

const NOW = Date.parse('2026-06-01T00:00:00Z')

const m = capacity

const common = {
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
} as const

function gpu(o: Partial<GpuPlacementRequest> = {}): GpuPlacementRequest {
  return {
    ...common,
    computeType: 'GPU',
    gpuTypes: [{ id: 'A', securePrice: 1, communityPrice: 0.5, overrideFactor: 1 }],
    gpuTypePriority: 'availability',
    gpuCount: 1,
    minRAMPerGPU: 8,
    minVCPUPerGPU: 2,
    allowedCudaVersions: [],
    mayPreempt: true,
    ...o,
  }
}

function cpu(o: Partial<CpuPlacementRequest> = {}): CpuPlacementRequest {
  return {
    ...common,
    computeType: 'CPU',
    cpuFlavors: [{ id: 'cpu3c', ramPerVcpuGb: 2, pricePerVcpu: 0.02 }],
    cpuFlavorPriority: 'availability',
    vcpuCount: 2,
    ...o,
  }
}

const pods = (machines: MachineCapacity[], request: GpuPlacementRequest | CpuPlacementRequest) =>
  stockOf(machines, request).pods

describe('availabilityLevel', () => {
  it('is NONE for no pod, LOW for 1–2, MEDIUM for 3–7 and HIGH from 8', () => {
    expect([0, 1, 2, 3, 7, 8, 100].map(availabilityLevel)).toEqual([
      'NONE',
      'LOW',
      'LOW',
      'MEDIUM',
      'MEDIUM',
      'HIGH',
      'HIGH',
    ])
  })
})

describe('stockOf (GPU)', () => {
  it('counts the pods of the requested GPU count that free GPUs hold', () => {
    expect(pods([m('a'), m('b', { gpuFree: 3 })], gpu())).toBe(11)
    expect(pods([m('a'), m('b', { gpuFree: 3 })], gpu({ gpuCount: 2 }))).toBe(5)
    expect(pods([m('a'), m('b', { gpuFree: 3 })], gpu({ gpuCount: 8 }))).toBe(1)
  })

  it('is bounded by free vCPUs, memory and disk as well as GPUs', () => {
    // A pod takes the per-GPU share: 16 vCPUs and 128 GB here, plus 70 GB of disk.
    expect(pods([m('a', { vcpuFree: 40 })], gpu())).toBe(2)
    expect(pods([m('a', { memoryFree: 300 })], gpu())).toBe(2)
    expect(pods([m('a', { diskFree: 150 })], gpu())).toBe(2)
  })

  it('counts no stock on machines that take no pods, yet lists their data center as offering', () => {
    const down = [
      m('cordoned', { cordoned: true }),
      m('failed', { failed: true, dataCenterId: 'EU-RO-1', countryCode: 'RO' }),
      m('maintenance', { maintenanceStart: NOW - 1, maintenanceEnd: NOW + 1 }),
    ]
    const stock = stockOf(down, gpu())
    expect(stock.pods).toBe(0)
    expect([...stock.byDataCenter]).toEqual([
      ['US-TX-3', 0],
      ['EU-RO-1', 0],
    ])
  })

  it('leaves out machines that could never hold the pod', () => {
    const machines = [
      m('small', { gpuCount: 2, gpuFree: 2 }),
      m('community', { secureCloud: false }),
      m('other-type', { gpuTypeId: 'B' }),
      m('elsewhere', { dataCenterId: 'AP-JP-1', countryCode: 'JP' }),
      m('pairs-only', { minPodGpuCount: 2 }),
    ]
    const stock = stockOf(machines, gpu({ gpuCount: 1 }))
    expect(stock.pods).toBe(2)
    expect(pods(machines, gpu({ gpuCount: 4 }))).toBe(2) // only on the one taking pairs and up
    expect(pods(machines, gpu({ cloudType: 'COMMUNITY' }))).toBe(8)
    expect(pods(machines, gpu({ cloudType: 'ALL' }))).toBe(10)
  })

  it('scopes to countries and CUDA versions, tallying each offered version', () => {
    const machines = [
      m('old', { cudaVersion: '11.8', gpuFree: 0 }),
      m('new', { cudaVersion: '12.8' }),
      m('ro', { cudaVersion: '12.8', dataCenterId: 'EU-RO-1', countryCode: 'RO', gpuFree: 1 }),
      m('unknown', { cudaVersion: null }),
    ]
    expect([...stockOf(machines, gpu()).byCudaVersion]).toEqual([
      ['11.8', 0],
      ['12.8', 9],
    ])
    expect(pods(machines, gpu({ countryCodes: ['RO'] }))).toBe(1)
    const old = stockOf(machines, gpu({ allowedCudaVersions: ['11.8'] }))
    expect(old.pods).toBe(0)
    expect([...old.byDataCenter]).toEqual([['US-TX-3', 0]])
  })

  it('takes nothing back from interruptible pods', () => {
    expect(pods([m('spot', { gpuFree: 0, spotGpus: 8, spotVcpus: 128, spotMemoryGb: 1024 })], gpu())).toBe(0)
  })
})

describe('stockOf (CPU)', () => {
  const host = (id: string, o: Partial<MachineCapacity> = {}) =>
    m(id, {
      gpuTypeId: null,
      gpuCount: 0,
      gpuFree: 0,
      cpuFlavorId: 'cpu3c',
      vcpuCount: 32,
      vcpuFree: 32,
      cudaVersion: null,
      ...o,
    })

  it('counts pods of the requested vCPUs that free vCPUs and memory hold', () => {
    expect(pods([host('a')], cpu({ vcpuCount: 4 }))).toBe(8)
    expect(pods([host('a', { memoryFree: 16 })], cpu({ vcpuCount: 4 }))).toBe(2)
    expect(stockOf([host('a')], cpu({ vcpuCount: 64 })).byDataCenter.size).toBe(0)
  })
})
