import { describe, expect, it } from 'vitest'
import { capacity } from '../../test/helpers/machines.js'
import { planGang } from './gang.js'
import type { GpuPlacementRequest, MachineCapacity } from './types.js'

/** A 4× RTX host in `dataCenterId`. */
const m = (id: string, dataCenterId: string, o: Partial<MachineCapacity> = {}): MachineCapacity =>
  capacity(id, {
    dataCenterId,
    gpuTypeId: 'RTX',
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

const request = (o: Partial<GpuPlacementRequest> = {}): GpuPlacementRequest => ({
  computeType: 'GPU',
  dataCenterIds: ['A', 'B'],
  dataCenterPriority: 'availability',
  cloudType: 'SECURE',
  countryCodes: [],
  minDiskBandwidthMBps: 0,
  minDownloadMbps: 0,
  minUploadMbps: 0,
  supportPublicIp: false,
  diskGb: 50,
  now: 0,
  gpuTypes: [{ id: 'RTX', securePrice: 0.69, communityPrice: 0.34, overrideFactor: 1 }],
  gpuTypePriority: 'availability',
  gpuCount: 2,
  minRAMPerGPU: 0,
  minVCPUPerGPU: 0,
  allowedCudaVersions: [],
  mayPreempt: true,
  ...o,
})

describe('planGang', () => {
  it('places every member in one data center, several on a machine with room for them', () => {
    const plan = planGang([m('a1', 'A'), m('a2', 'A'), m('b1', 'B')], request(), 4)
    expect(plan?.map((p) => p.machine.id).sort()).toEqual(['a1', 'a1', 'a2', 'a2'])
  })

  it('answers undefined when no single data center holds them all, however much there is in all', () => {
    expect(planGang([m('a1', 'A'), m('b1', 'B'), m('b2', 'B', { gpuFree: 1 })], request(), 3)).toBeUndefined()
  })

  it('moves on to the next data center when the best one is too small, and never preempts', () => {
    const fleet = [
      m('a1', 'A', { pricePerGpu: 0.1, gpuFree: 2 }),
      m('b1', 'B'),
      m('b2', 'B', { gpuFree: 0, spotGpus: 4 }),
    ]
    expect(planGang(fleet, request(), 2)?.map((p) => p.machine.id)).toEqual(['b1', 'b1'])
    expect(planGang(fleet, request(), 3)).toBeUndefined()
    expect(planGang(fleet, request({ dataCenterIds: ['A'] }), 2)).toBeUndefined()
  })
})
