import { createHash } from 'node:crypto'
import { roundMoney } from '../domain/pricing.js'
import type { CatalogRows } from '../store/catalog.js'
import { HOST_PORT_END, HOST_PORT_FIRST } from '../store/host-ports.js'
import type { MachineRow } from '../store/machines.js'
import type { Store } from '../store/store.js'
import {
  CPU_FLAVORS,
  CPU_TYPES,
  CUDA_VERSIONS,
  DATA_CENTERS,
  type DataCenterSeed,
  GPU_TYPES,
  type GpuTypeSeed,
  PRICE_RATIOS,
} from './catalog-data.js'
import { seededRandom } from './seeded-random.js'

const cents = (x: number) => Math.round(x * 100) / 100

export function catalogRows(): CatalogRows {
  return {
    gpuTypes: GPU_TYPES.map((t, i) => ({
      id: t.id,
      display_name: t.displayName,
      manufacturer: t.manufacturer,
      memory_gb: t.memoryInGb,
      secure_price: t.securePrice,
      community_price: t.communityPrice,
      secure_spot_price: cents(t.securePrice * PRICE_RATIOS.spot),
      community_spot_price: cents(t.communityPrice * PRICE_RATIOS.spot),
      one_week_price: cents(t.securePrice * PRICE_RATIOS.oneWeek),
      one_month_price: cents(t.securePrice * PRICE_RATIOS.oneMonth),
      three_month_price: cents(t.securePrice * PRICE_RATIOS.threeMonth),
      six_month_price: cents(t.securePrice * PRICE_RATIOS.sixMonth),
      max_gpu_count: t.maxGpuCount,
      sort_order: i,
    })),
    dataCenters: DATA_CENTERS.map((d, i) => ({
      id: d.id,
      name: d.name,
      location: d.location,
      country_code: d.countryCode,
      global_networking: d.globalNetworking ? 1 : 0,
      sort_order: i,
    })),
    cpuTypes: CPU_TYPES.map((t) => ({
      id: t.id,
      display_name: t.displayName,
      cores: t.cores,
      threads_per_core: t.threadsPerCore,
      group_id: t.groupId,
    })),
    cpuFlavors: CPU_FLAVORS.map((f, i) => ({
      id: f.id,
      display_name: f.displayName,
      group_id: f.groupId,
      ram_per_vcpu_gb: f.ramPerVcpuGb,
      price_per_vcpu: roundMoney(f.pricePerVcpu),
      sort_order: i,
    })),
  }
}

function pickWeighted<T>(rand: () => number, items: readonly T[], weight: (t: T) => number): T {
  const total = items.reduce((sum, t) => sum + weight(t), 0)
  let r = rand() * total
  for (const item of items) {
    r -= weight(item)
    if (r < 0) return item
  }
  return items[items.length - 1]!
}

const pick = <T>(rand: () => number, items: readonly T[]): T => items[Math.floor(rand() * items.length)]!

const ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789'

/** A machine id derived from (seed, index), so re-seeding inserts nothing twice. */
function machineId(seed: number, index: number): string {
  const digest = createHash('sha256').update(`podplane-machine:${seed}:${index}`).digest()
  let id = ''
  for (let i = 0; i < 12; i++) id += ALPHABET[digest[i]! % ALPHABET.length]
  return id
}

/** Host GPUs that live only in data-center chassis of eight. */
const EIGHT_WAY = /H100 80GB|H200$|B200|A100-SXM|MI300X/

function gpuCountFor(rand: () => number, type: GpuTypeSeed): number {
  if (EIGHT_WAY.test(type.id)) return rand() < 0.85 ? 8 : 4
  return pickWeighted(rand, [1, 2, 4, 8], (n) => ({ 1: 1, 2: 2, 4: 3, 8: 4 })[n] ?? 1)
}

function cudaFor(rand: () => number, type: GpuTypeSeed): string {
  const usable = CUDA_VERSIONS.filter((v) => Number(v) >= Number(type.minCudaVersion))
  // Newer drivers are more common: weight by position.
  return pickWeighted(rand, usable, (v) => usable.indexOf(v) + 1)
}

function publicIp(rand: () => number): string {
  const firstOctets = [38, 64, 69, 104, 149, 185, 194, 195, 203, 213]
  return `${pick(rand, firstOctets)}.${Math.floor(rand() * 256)}.${Math.floor(rand() * 256)}.${1 + Math.floor(rand() * 254)}`
}

/**
 * Builds `count` machines deterministically from `seed`: mixed GPU types in proportion to how
 * common they are, secure and community cloud, every data center, and some CPU-only hosts.
 */
export function generateMachines(count: number, seed: number, now: number): MachineRow[] {
  const machines: MachineRow[] = []
  const gpuTypes = GPU_TYPES.filter((t) => t.fleetWeight > 0)
  for (let i = 0; i < count; i++) {
    const rand = seededRandom(seed * 1_000_003 + i)
    const dc: DataCenterSeed = pickWeighted(rand, DATA_CENTERS, (d) => d.fleetWeight)
    const cpuHost = rand() < 0.08
    const secure = cpuHost || rand() < 0.6
    const supportPublicIp = secure || rand() < 0.7
    const base = {
      id: machineId(seed, i),
      data_center_id: dc.id,
      location: dc.location,
      country_code: dc.countryCode,
      secure_cloud: secure ? 1 : 0,
      gpu_used: 0,
      vcpu_used: 0,
      memory_used: 0,
      disk_used: 0,
      disk_gb: pick(rand, [1000, 2000, 4000, 8000]),
      disk_throughput_mbps: pick(rand, [500, 1000, 2000, 4000, 8000]),
      upload_mbps: pick(rand, [500, 1000, 2500, 5000, 10000]),
      download_mbps: pick(rand, [1000, 2500, 5000, 10000]),
      support_public_ip: supportPublicIp ? 1 : 0,
      public_ip: publicIp(rand),
      min_pod_gpu_count: 1,
      maintenance_start: null,
      maintenance_end: null,
      maintenance_note: null,
      note: null,
      next_port: HOST_PORT_FIRST + Math.floor(rand() * (HOST_PORT_END - HOST_PORT_FIRST - 1000)),
      host_ports_wrapped: 0,
      driver: 'simulated',
      cordoned: 0,
      created_at: now,
      failed_at: null,
      failure_note: null,
      price_per_gpu: null,
      removed_at: null,
    }
    if (cpuHost) {
      const flavor = pick(rand, CPU_FLAVORS)
      const vcpus = pick(rand, [32, 64, 96, 128])
      machines.push({
        ...base,
        gpu_type_id: null,
        gpu_count: 0,
        cpu_flavor_id: flavor.id,
        cpu_type_id: pick(rand, flavor.cpuTypeIds),
        vcpu_count: vcpus,
        memory_gb: vcpus * flavor.ramPerVcpuGb,
        cuda_version: null,
      })
      continue
    }
    const type = pickWeighted(rand, gpuTypes, (t) => t.fleetWeight)
    const gpus = gpuCountFor(rand, type)
    machines.push({
      ...base,
      gpu_type_id: type.id,
      gpu_count: gpus,
      cpu_flavor_id: null,
      cpu_type_id: pick(rand, CPU_TYPES).id,
      vcpu_count: gpus * pick(rand, [8, 12, 16, 24, 32]),
      memory_gb: gpus * pick(rand, [31, 46, 62, 83, 125, 188, 251]),
      cuda_version: cudaFor(rand, type),
    })
  }
  return machines
}

/** Makes sure the catalog exists and adds the generated machines (idempotent per seed). */
export async function seedFleet(
  store: Store,
  options: { machines: number; seed: number; now: number },
): Promise<{ inserted: number }> {
  await store.catalog.insertMissing(catalogRows())
  const inserted = await store.machines.insertMany(
    generateMachines(options.machines, options.seed, options.now),
  )
  return { inserted }
}
