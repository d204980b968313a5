import type { Pod } from '../../../domain/pod.js'
import { desiredStatusOf, statusAt } from '../../../domain/pod-lifecycle.js'
import type { PodRelations } from '../../../domain/pod-relations.js'
import { adjustedCostPerHr, gpuPricePerHr, roundMoney } from '../../../domain/pricing.js'
import type { Catalog, GpuType } from '../../../fleet/catalog.js'
import type { MachineRow } from '../../../store/machines.js'
import { templateView } from '../templates/template-view.js'
import type * as V1 from './schemas.js'

export interface ViewOptions {
  readonly now: number
  readonly catalog: Catalog
  readonly relations: PodRelations
  readonly includeMachine?: boolean
  readonly includeNetworkVolume?: boolean
  readonly includeSavingsPlans?: boolean
  readonly includeTemplate?: boolean
}

const iso = (ms: number) => new Date(ms).toISOString()

function gpuInfo(type: GpuType, count: number): V1.Pod['gpu'] {
  return {
    id: type.id,
    count,
    displayName: type.displayName,
    securePrice: type.securePrice,
    communityPrice: type.communityPrice,
    oneMonthPrice: type.oneMonthPrice,
    threeMonthPrice: type.threeMonthPrice,
    sixMonthPrice: type.sixMonthPrice,
    oneWeekPrice: type.oneWeekPrice,
    communitySpotPrice: type.communitySpotPrice,
    secureSpotPrice: type.secureSpotPrice,
  }
}

export function machineView(m: MachineRow, catalog: Catalog): V1.Pod['machine'] {
  const gpuType = m.gpu_type_id === null ? undefined : catalog.gpuTypes.get(m.gpu_type_id)
  const cpuType = catalog.cpuTypes.get(m.cpu_type_id)
  const cloud = m.secure_cloud === 1 ? 'SECURE' : 'COMMUNITY'
  const pricePerGpu = m.price_per_gpu ?? (gpuType ? gpuPricePerHr(gpuType, cloud, false) : 0)
  return {
    minPodGpuCount: m.min_pod_gpu_count,
    gpuTypeId: m.gpu_type_id ?? undefined,
    gpuType: gpuType && gpuInfo(gpuType, m.gpu_count),
    cpuCount: m.vcpu_count,
    cpuTypeId: m.cpu_type_id,
    cpuType: {
      id: m.cpu_type_id,
      displayName: cpuType?.displayName ?? m.cpu_type_id,
      cores: cpuType?.cores ?? 0,
      threadsPerCore: cpuType?.threadsPerCore ?? 0,
      groupId: cpuType?.groupId ?? '',
    },
    location: m.location,
    dataCenterId: m.data_center_id,
    diskThroughputMBps: m.disk_throughput_mbps,
    maxDownloadSpeedMbps: m.download_mbps,
    maxUploadSpeedMbps: m.upload_mbps,
    supportPublicIp: m.support_public_ip === 1,
    secureCloud: m.secure_cloud === 1,
    maintenanceStart: m.maintenance_start === null ? undefined : iso(m.maintenance_start),
    maintenanceEnd: m.maintenance_end === null ? undefined : iso(m.maintenance_end),
    maintenanceNote: m.maintenance_note ?? undefined,
    note: m.note ?? undefined,
    costPerHr: roundMoney(pricePerGpu * m.gpu_count),
    currentPricePerGpu: pricePerGpu,
    gpuAvailable: m.gpu_count - m.gpu_used,
    gpuDisplayName: gpuType?.displayName,
  }
}

/** A pod as RunPod's v1 API shows it. Public IP and ports appear once the pod is running. */
export function podView(pod: Pod, o: ViewOptions): V1.Pod {
  const status = statusAt(pod, o.now)
  const running = status === 'RUNNING'
  const gpuType = pod.gpuTypeId === null ? undefined : o.catalog.gpuTypes.get(pod.gpuTypeId)
  const plans = o.relations.savingsPlans.get(pod.id) ?? []
  const machine = o.includeMachine ? o.relations.machines.get(pod.machineId) : undefined
  const volume =
    o.includeNetworkVolume && pod.networkVolumeId !== null
      ? o.relations.networkVolumes.get(pod.networkVolumeId)
      : undefined
  const template =
    o.includeTemplate && pod.templateId !== null ? o.relations.templates.get(pod.templateId) : undefined
  return {
    adjustedCostPerHr: adjustedCostPerHr(pod.costPerHr, plans, o.now),
    aiApiId: pod.endpointId ?? undefined,
    consumerUserId: pod.userId,
    containerDiskInGb: pod.containerDiskInGb,
    containerRegistryAuthId: pod.containerRegistryAuthId ?? undefined,
    costPerHr: pod.costPerHr,
    cpuFlavorId: pod.cpuFlavorId ?? undefined,
    desiredStatus: desiredStatusOf(status),
    dockerEntrypoint: pod.dockerEntrypoint as string[],
    dockerStartCmd: pod.dockerStartCmd as string[],
    endpointId: pod.endpointId ?? undefined,
    env: pod.env as Record<string, string>,
    gpu: gpuType && gpuInfo(gpuType, pod.gpuCount),
    id: pod.id,
    image: pod.image,
    interruptible: pod.interruptible,
    lastStartedAt: pod.lastStartedAt === null ? undefined : iso(pod.lastStartedAt),
    lastStatusChange: pod.lastStatusChange,
    locked: pod.locked,
    machine: machine && machineView(machine, o.catalog),
    machineId: pod.machineId,
    memoryInGb: pod.memoryInGb,
    name: pod.name,
    networkVolume: volume && {
      id: volume.id,
      name: volume.name,
      size: volume.size,
      dataCenterId: volume.dataCenterId,
    },
    portMappings: running ? (pod.portMappings as Record<string, number>) : {},
    ports: pod.ports as string[],
    publicIp: running ? pod.publicIp : null,
    savingsPlans: o.includeSavingsPlans
      ? plans.map((p) => ({
          costPerHr: p.costPerHr,
          endTime: iso(p.endTime),
          gpuTypeId: p.gpuTypeId,
          id: p.id,
          podId: p.podId,
          startTime: iso(p.startTime),
        }))
      : undefined,
    slsVersion: pod.slsVersion,
    template: template && templateView(template),
    templateId: pod.templateId ?? undefined,
    vcpuCount: pod.vcpuCount,
    volumeEncrypted: pod.volumeEncrypted,
    volumeInGb: pod.volumeInGb,
    volumeMountPath: pod.volumeMountPath,
  }
}
