import { describe, expect, it } from 'vitest'
import { capacity } from '../../test/helpers/machines.js'
import { Catalog } from '../fleet/catalog.js'
import type { MachineCapacity } from '../scheduler/types.js'
import { compareCuda, cpuStock, cudaAccepts, type GpuStockQuery, gpuStock } from './availability.js'

const NOW = Date.parse('2026-06-01T00:00:00Z')
const RTX4090 = 'NVIDIA GeForce RTX 4090'

const catalog = new Catalog({
  gpuTypes: [
    {
      id: RTX4090,
      displayName: 'RTX 4090',
      manufacturer: 'Nvidia',
      memoryInGb: 24,
      securePrice: 0.69,
      communityPrice: 0.34,
      secureSpotPrice: 0.38,
      communitySpotPrice: 0.19,
      oneWeekPrice: 0.66,
      oneMonthPrice: 0.62,
      threeMonthPrice: 0.59,
      sixMonthPrice: 0.55,
      maxGpuCount: 8,
    },
  ],
  dataCenters: [
    { id: 'US-TX-3', name: 'US-TX-3', location: 'United States', countryCode: 'US', globalNetworking: true },
    { id: 'EU-RO-1', name: 'EU-RO-1', location: 'Romania', countryCode: 'RO', globalNetworking: true },
  ],
  cpuFlavors: [
    { id: 'cpu3c', displayName: 'Compute-Optimized', groupId: 'cpu3', ramPerVcpuGb: 2, pricePerVcpu: 0.02 },
  ],
  cpuTypes: [],
})

/** A 4× RTX 4090 host. */
const m = (id: string, o: Partial<MachineCapacity> = {}): MachineCapacity =>
  capacity(id, {
    gpuTypeId: RTX4090,
    gpuCount: 4,
    gpuFree: 4,
    vcpuCount: 64,
    vcpuFree: 64,
    memoryGb: 256,
    memoryFree: 256,
    diskFree: 2000,
    downloadMbps: 2500,
    ...o,
  })

const query = (o: Partial<GpuStockQuery> = {}): GpuStockQuery => ({
  products: ['POD'],
  gpuCount: 1,
  cloud: 'SECURE',
  countryCodes: [],
  ...o,
})

describe('gpuStock', () => {
  it('sizes pods as a create with RunPod’s defaults would: 70 GB of disk, 2 vCPUs and 8 GB a GPU', () => {
    expect(gpuStock(catalog, [m('a', { diskFree: 140 })], RTX4090, query(), NOW).pods).toBe(2)
    expect(gpuStock(catalog, [m('a', { vcpuCount: 4, vcpuFree: 4 })], RTX4090, query(), NOW).pods).toBe(0)
    expect(gpuStock(catalog, [m('a', { memoryGb: 16, memoryFree: 16 })], RTX4090, query(), NOW).pods).toBe(0)
  })

  it('reads serverless from the same fleet', () => {
    const fleet = [m('a')]
    expect(gpuStock(catalog, fleet, RTX4090, query({ products: ['SERVERLESS'] }), NOW).pods).toBe(4)
    expect(gpuStock(catalog, fleet, RTX4090, query({ products: ['CLUSTER', 'POD'] }), NOW).pods).toBe(4)
  })

  it('counts cluster stock only where a data center holds at least 2 such pods, in Secure Cloud', () => {
    const fleet = [
      m('tx', { gpuFree: 2 }),
      m('ro', { dataCenterId: 'EU-RO-1', countryCode: 'RO', gpuFree: 1, cudaVersion: '12.8' }),
      m('community', { dataCenterId: 'EU-RO-1', countryCode: 'RO', secureCloud: false }),
    ]
    const clusters = gpuStock(catalog, fleet, RTX4090, query({ products: ['CLUSTER'] }), NOW)
    expect(clusters.pods).toBe(2)
    expect([...clusters.byDataCenter]).toEqual([
      ['US-TX-3', 2],
      ['EU-RO-1', 0],
    ])
    expect(clusters.byCudaVersion.get('12.4')).toBe(2)
    expect(clusters.byCudaVersion.get('12.8')).toBe(0)
    const ofTwo = gpuStock(catalog, fleet, RTX4090, query({ products: ['CLUSTER'], gpuCount: 2 }), NOW)
    expect(ofTwo.pods).toBe(0)
    const all = gpuStock(catalog, fleet, RTX4090, query({ products: ['CLUSTER'], cloud: 'ALL' }), NOW)
    expect(all.pods).toBe(2)
    expect(
      gpuStock(catalog, fleet, RTX4090, query({ products: ['CLUSTER'], cloud: 'COMMUNITY' }), NOW).pods,
    ).toBe(0)
  })

  it('keeps to exact CUDA versions, or to a floor where a bare major means any of its releases', () => {
    const fleet = [
      m('old', { cudaVersion: '11.8' }),
      m('new', { cudaVersion: '12.8' }),
      m('none', { cudaVersion: null }),
    ]
    const versions = (cuda: GpuStockQuery['cuda']) => [
      ...gpuStock(catalog, fleet, RTX4090, query({ cuda }), NOW).byCudaVersion.keys(),
    ]
    expect(versions(undefined)).toEqual(['11.8', '12.8'])
    expect(versions({ versions: ['12.8'] })).toEqual(['12.8'])
    expect(versions({ atLeast: '12' })).toEqual(['12.8'])
    expect(versions({ atLeast: '11.9' })).toEqual(['12.8'])
    expect(gpuStock(catalog, fleet, RTX4090, query({ cuda: { atLeast: '12' } }), NOW).pods).toBe(4)
    expect(gpuStock(catalog, fleet, RTX4090, query(), NOW).pods).toBe(12)
  })
})

describe('cpuStock', () => {
  it('counts CPU pods of the asked vCPUs in Secure Cloud', () => {
    const host = m('cpu', {
      gpuTypeId: null,
      gpuCount: 0,
      gpuFree: 0,
      cpuFlavorId: 'cpu3c',
      vcpuCount: 32,
      vcpuFree: 32,
      memoryGb: 64,
      memoryFree: 64,
      cudaVersion: null,
    })
    expect(cpuStock(catalog, [host], 'cpu3c', { products: ['POD'], vcpuCount: 8 }, NOW).pods).toBe(4)
    expect(
      cpuStock(catalog, [{ ...host, secureCloud: false }], 'cpu3c', { products: ['POD'], vcpuCount: 8 }, NOW)
        .pods,
    ).toBe(0)
  })
})

describe('CUDA versions', () => {
  it('compare as numbers, major then minor', () => {
    expect(['12.10', '11.8', '12.9', '13.0'].sort(compareCuda)).toEqual(['11.8', '12.9', '12.10', '13.0'])
    expect(cudaAccepts({ atLeast: '12' }, '12.0')).toBe(true)
    expect(cudaAccepts({ atLeast: '12.1' }, '12.0')).toBe(false)
    expect(cudaAccepts({ versions: ['12.4'] }, '12.40')).toBe(false)
  })
})
