import type { MachineCapacity } from '../../src/scheduler/types.js'
import { HOST_PORT_FIRST } from '../../src/store/host-ports.js'
import type { MachineRow } from '../../src/store/machines.js'

let counter = 0

/** A simulated machine row for tests: a secure 4× RTX 4090 host in US-TX-3 unless overridden. */
export function machine(overrides: Partial<MachineRow> = {}): MachineRow {
  counter += 1
  return {
    id: `m${String(counter).padStart(11, '0')}`,
    data_center_id: 'US-TX-3',
    location: 'United States',
    country_code: 'US',
    secure_cloud: 1,
    gpu_type_id: 'NVIDIA GeForce RTX 4090',
    gpu_count: 4,
    gpu_used: 0,
    cpu_flavor_id: null,
    cpu_type_id: 'AMD EPYC 7763 64-Core Processor',
    vcpu_count: 64,
    vcpu_used: 0,
    memory_gb: 256,
    memory_used: 0,
    disk_gb: 2000,
    disk_used: 0,
    disk_throughput_mbps: 2000,
    upload_mbps: 1000,
    download_mbps: 2500,
    cuda_version: '12.4',
    support_public_ip: 1,
    public_ip: `38.0.${Math.floor(counter / 250)}.${(counter % 250) + 1}`,
    min_pod_gpu_count: 1,
    maintenance_start: null,
    maintenance_end: null,
    maintenance_note: null,
    note: null,
    next_port: HOST_PORT_FIRST,
    host_ports_wrapped: 0,
    driver: 'simulated',
    cordoned: 0,
    created_at: Date.parse('2026-01-01T00:00:00Z'),
    failed_at: null,
    failure_note: null,
    price_per_gpu: null,
    removed_at: null,
    ...overrides,
  }
}

/** A CPU-only host of one flavor. */
export function cpuMachine(overrides: Partial<MachineRow> = {}): MachineRow {
  const flavor = overrides.cpu_flavor_id ?? 'cpu3c'
  const ram = { cpu3c: 2, cpu3g: 4, cpu3m: 8, cpu5c: 2, cpu5g: 4, cpu5m: 8 }[flavor] ?? 2
  return machine({
    gpu_type_id: null,
    gpu_count: 0,
    cpu_flavor_id: flavor,
    vcpu_count: 32,
    memory_gb: 32 * ram,
    cuda_version: null,
    ...overrides,
  })
}

/** What the scheduler sees of a machine, for unit tests: a free secure 8-GPU host in US-TX-3 unless overridden. */
export function capacity(id: string, o: Partial<MachineCapacity> = {}): MachineCapacity {
  return {
    id,
    dataCenterId: 'US-TX-3',
    countryCode: 'US',
    secureCloud: true,
    gpuTypeId: 'A',
    gpuCount: 8,
    gpuFree: 8,
    cpuFlavorId: null,
    vcpuCount: 128,
    vcpuFree: 128,
    memoryGb: 1024,
    memoryFree: 1024,
    diskFree: 4000,
    diskThroughputMBps: 2000,
    uploadMbps: 1000,
    downloadMbps: 1000,
    cudaVersion: '12.4',
    supportPublicIp: true,
    minPodGpuCount: 1,
    cordoned: false,
    failed: false,
    maintenanceStart: null,
    maintenanceEnd: null,
    pricePerGpu: null,
    spotGpus: 0,
    spotVcpus: 0,
    spotMemoryGb: 0,
    ...o,
  }
}
