import { describe, expect, it } from 'vitest'
import { GPU_TYPES } from './catalog-data.js'
import { catalogRows, generateMachines } from './seed.js'

describe('generateMachines', () => {
  it('is deterministic per seed and differs across seeds', () => {
    expect(generateMachines(200, 3, 0)).toEqual(generateMachines(200, 3, 0))
    expect(generateMachines(50, 3, 0)).not.toEqual(generateMachines(50, 4, 0))
  })

  it('builds a mixed, realistic fleet', () => {
    const fleet = generateMachines(2000, 1, 0)
    const cpuHosts = fleet.filter((m) => m.gpu_type_id === null)
    expect(cpuHosts.length).toBeGreaterThan(50)
    expect(cpuHosts.every((m) => m.cpu_flavor_id !== null && m.gpu_count === 0)).toBe(true)
    expect(new Set(fleet.map((m) => m.gpu_type_id)).size).toBeGreaterThan(30)
    expect(new Set(fleet.map((m) => m.data_center_id)).size).toBe(26)
    expect(fleet.some((m) => m.secure_cloud === 0)).toBe(true)
    for (const m of fleet) {
      expect(m.secure_cloud === 0 || m.support_public_ip === 1).toBe(true) // secure cloud always has a public IP
      if (m.gpu_count > 0) {
        expect(m.vcpu_count / m.gpu_count).toBeGreaterThanOrEqual(8)
        expect(m.memory_gb / m.gpu_count).toBeGreaterThanOrEqual(31)
      }
    }
    expect(new Set(fleet.map((m) => m.id)).size).toBe(fleet.length)
  })
})

describe('catalogRows', () => {
  it('prices every GPU type id of the spec, spot below on-demand', () => {
    const { gpuTypes } = catalogRows()
    expect(gpuTypes.map((t) => t.id)).toEqual(GPU_TYPES.map((t) => t.id))
    for (const t of gpuTypes) {
      expect(t.secure_spot_price).toBeLessThan(t.secure_price)
      expect(t.six_month_price).toBeLessThan(t.one_week_price)
    }
  })
})
