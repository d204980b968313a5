import type { Catalog } from '../fleet/catalog.js'
import type { MachineCapacity, PlacementRequest } from '../scheduler/types.js'
import type { Pod } from './pod.js'
import type { PodSpec } from './pod-spec.js'
import { cpuPodCostPerHr, gpuPricePerHr, roundMoney } from './pricing.js'

export function cloudOf(m: { secureCloud: boolean }): 'SECURE' | 'COMMUNITY' {
  return m.secureCloud ? 'SECURE' : 'COMMUNITY'
}

/** How the spot price relates to the on-demand one for a GPU type in a cloud. */
function spotFactor(catalog: Catalog, gpuTypeId: string, cloud: 'SECURE' | 'COMMUNITY'): number {
  const type = catalog.gpuTypes.get(gpuTypeId)!
  const onDemand = gpuPricePerHr(type, cloud, false)
  return onDemand === 0 ? 1 : gpuPricePerHr(type, cloud, true) / onDemand
}

/**
 * What the pod costs per hour on this machine: the GPU type's price for its cloud, or the
 * operator's price for the machine (scaled to spot for interruptible pods).
 */
export function podCostOn(m: MachineCapacity, spec: PodSpec, catalog: Catalog): number {
  if (spec.computeType === 'CPU')
    return cpuPodCostPerHr(catalog.cpuFlavors.get(m.cpuFlavorId!)!, spec.vcpuCount)
  const type = catalog.gpuTypes.get(m.gpuTypeId!)!
  const cloud = cloudOf(m)
  const perGpu =
    m.pricePerGpu === null
      ? gpuPricePerHr(type, cloud, spec.interruptible)
      : m.pricePerGpu * (spec.interruptible ? spotFactor(catalog, type.id, cloud) : 1)
  return roundMoney(perGpu * spec.gpuCount)
}

/**
 * Translates a pod spec into the scheduler's request, pricing each acceptable type. Every create
 * builds one: the shared part is extended with `Object.assign`, not spread into a new object —
 * spreading and then adding fields takes V8's slow path (~8 µs instead of ~0.2 µs) and gives every
 * request a hidden class of its own, which made the scheduler's loop megamorphic.
 */
export function placementRequest(spec: PodSpec, catalog: Catalog, now: number): PlacementRequest {
  const common = {
    dataCenterIds: spec.dataCenterIds,
    dataCenterPriority: spec.dataCenterPriority,
    cloudType: spec.cloudType,
    countryCodes: spec.countryCodes,
    minDiskBandwidthMBps: spec.minDiskBandwidthMBps,
    minDownloadMbps: spec.minDownloadMbps,
    minUploadMbps: spec.minUploadMbps,
    supportPublicIp: spec.supportPublicIp,
    diskGb: spec.containerDiskInGb + spec.volumeInGb,
    now,
  }
  if (spec.computeType === 'CPU') {
    return Object.assign(common, {
      computeType: 'CPU' as const,
      cpuFlavors: spec.cpuFlavorIds.map((id) => catalog.cpuFlavors.get(id)!),
      cpuFlavorPriority: spec.cpuFlavorPriority,
      vcpuCount: spec.vcpuCount,
    })
  }
  return Object.assign(common, {
    computeType: 'GPU' as const,
    gpuTypes: spec.gpuTypeIds.map((id) => {
      const type = catalog.gpuTypes.get(id)!
      return {
        id,
        securePrice: gpuPricePerHr(type, 'SECURE', spec.interruptible),
        communityPrice: gpuPricePerHr(type, 'COMMUNITY', spec.interruptible),
        overrideFactor: spec.interruptible ? spotFactor(catalog, id, 'SECURE') : 1,
      }
    }),
    gpuTypePriority: spec.gpuTypePriority,
    gpuCount: spec.gpuCount,
    minRAMPerGPU: spec.minRAMPerGPU,
    minVCPUPerGPU: spec.minVCPUPerGPU,
    allowedCudaVersions: spec.allowedCudaVersions,
    mayPreempt: !spec.interruptible,
  })
}

/** The placement a running pod needs elsewhere: same hardware, same cloud, same volume data center. */
export function specOfPod(pod: Pod, catalog: Catalog): PodSpec {
  return {
    name: pod.name,
    image: pod.image,
    computeType: pod.computeType,
    cloudType: pod.cloudType,
    gpuTypeIds: pod.gpuTypeId === null ? [] : [pod.gpuTypeId],
    gpuTypePriority: 'availability',
    gpuCount: pod.gpuCount,
    allowedCudaVersions: [],
    minRAMPerGPU: 0,
    minVCPUPerGPU: 0,
    cpuFlavorIds: pod.cpuFlavorId === null ? [] : [pod.cpuFlavorId],
    cpuFlavorPriority: 'availability',
    vcpuCount: pod.vcpuCount,
    dataCenterIds: pod.networkVolumeId === null ? [...catalog.dataCenters.keys()] : [pod.dataCenterId],
    dataCenterPriority: 'availability',
    countryCodes: [],
    minDiskBandwidthMBps: 0,
    minDownloadMbps: 0,
    minUploadMbps: 0,
    supportPublicIp: pod.publicIp !== null,
    containerDiskInGb: pod.containerDiskInGb,
    volumeInGb: pod.volumeInGb,
    volumeMountPath: pod.volumeMountPath,
    volumeEncrypted: pod.volumeEncrypted,
    ports: pod.ports,
    env: pod.env,
    dockerEntrypoint: pod.dockerEntrypoint,
    dockerStartCmd: pod.dockerStartCmd,
    interruptible: pod.interruptible,
    locked: pod.locked,
    globalNetworking: pod.globalNetworking,
    templateId: pod.templateId,
    networkVolumeId: pod.networkVolumeId,
    containerRegistryAuthId: pod.containerRegistryAuthId,
    endpointId: pod.endpointId,
  }
}
