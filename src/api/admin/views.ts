import { machineState } from '../../domain/fleet.js'
import { gpuPricePerHr } from '../../domain/pricing.js'
import type { Catalog, DataCenter, GpuType } from '../../fleet/catalog.js'
import type { ListedMachine } from '../../store/machines.js'
import type { UserSummary } from '../../store/users.js'

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function adminMachineView(m: ListedMachine, catalog: Catalog, now: number) {
  const type = m.gpu_type_id === null ? undefined : catalog.gpuTypes.get(m.gpu_type_id)
  const listPrice = type ? gpuPricePerHr(type, m.secure_cloud === 1 ? 'SECURE' : 'COMMUNITY', false) : 0
  return {
    id: m.id,
    state: machineState(m, now),
    driver: m.driver,
    dataCenterId: m.data_center_id,
    location: m.location,
    countryCode: m.country_code,
    secureCloud: m.secure_cloud === 1,
    gpuTypeId: m.gpu_type_id,
    gpuCount: m.gpu_count,
    gpuUsed: m.gpu_used,
    gpuAvailable: m.gpu_count - m.gpu_used,
    cpuFlavorId: m.cpu_flavor_id,
    cpuTypeId: m.cpu_type_id,
    vcpuCount: m.vcpu_count,
    vcpuUsed: m.vcpu_used,
    memoryInGb: m.memory_gb,
    memoryUsedInGb: m.memory_used,
    diskInGb: m.disk_gb,
    diskUsedInGb: m.disk_used,
    diskThroughputMBps: m.disk_throughput_mbps,
    uploadMbps: m.upload_mbps,
    downloadMbps: m.download_mbps,
    cudaVersion: m.cuda_version,
    supportPublicIp: m.support_public_ip === 1,
    publicIp: m.public_ip,
    minPodGpuCount: m.min_pod_gpu_count,
    pricePerGpu: m.price_per_gpu ?? listPrice,
    pricePerGpuOverride: m.price_per_gpu,
    cordoned: m.cordoned === 1,
    failedAt: iso(m.failed_at),
    failureNote: m.failure_note,
    maintenanceStart: iso(m.maintenance_start),
    maintenanceEnd: iso(m.maintenance_end),
    maintenanceNote: m.maintenance_note,
    note: m.note,
    podCount: m.pod_count,
    createdAt: new Date(m.created_at).toISOString(),
    agent:
      m.agent_hostname === null
        ? null
        : {
            hostname: m.agent_hostname,
            runtime: `${m.agent_runtime_name} ${m.agent_runtime_version}`,
            agentVersion: m.agent_version ?? '',
            lastHeartbeatAt: iso(m.agent_last_heartbeat_at),
            runtimeError: m.agent_runtime_error,
          },
  }
}

export const gpuTypeView = (t: GpuType) => ({ ...t })
export const dataCenterView = (d: DataCenter) => ({ ...d })

export function userView(u: UserSummary) {
  return {
    id: u.id,
    createdAt: new Date(u.createdAt).toISOString(),
    disabled: u.disabledAt !== null,
    disabledAt: iso(u.disabledAt),
    liveKeys: u.liveKeys,
    runningPods: u.runningPods,
    runningCostPerHr: u.runningCostPerHr,
    rateLimits: u.rateLimits,
  }
}
