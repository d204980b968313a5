import type { Catalog } from '../fleet/catalog.js'
import type { CloudChoice, Priority } from '../scheduler/types.js'
import { badRequest } from './errors.js'
import type { ComputeType } from './pod.js'
import type { NetworkVolume, Template } from './resources.js'

/** A create request in the domain's terms; v1's flat body maps onto it field for field. */
export interface CreatePodRequest {
  readonly name?: string
  readonly imageName?: string
  readonly computeType?: ComputeType
  readonly cloudType?: CloudChoice
  readonly gpuTypeIds?: readonly string[]
  readonly gpuTypePriority?: Priority
  readonly gpuCount?: number
  readonly allowedCudaVersions?: readonly string[]
  readonly minRAMPerGPU?: number
  readonly minVCPUPerGPU?: number
  readonly cpuFlavorIds?: readonly string[]
  readonly cpuFlavorPriority?: Priority
  readonly vcpuCount?: number
  readonly dataCenterIds?: readonly string[]
  readonly dataCenterPriority?: Priority
  readonly countryCodes?: readonly string[]
  readonly minDiskBandwidthMBps?: number
  readonly minDownloadMbps?: number
  readonly minUploadMbps?: number
  readonly supportPublicIp?: boolean
  readonly containerDiskInGb?: number | null
  readonly volumeInGb?: number | null
  readonly volumeMountPath?: string
  readonly volumeEncrypted?: boolean
  readonly ports?: readonly string[]
  readonly env?: Readonly<Record<string, string>>
  readonly dockerEntrypoint?: readonly string[]
  readonly dockerStartCmd?: readonly string[]
  readonly interruptible?: boolean
  readonly locked?: boolean
  readonly globalNetworking?: boolean
  readonly templateId?: string
  readonly networkVolumeId?: string
  readonly containerRegistryAuthId?: string
}

/** A create request with every default applied and every reference checked. */
export interface PodSpec {
  readonly name: string
  readonly image: string
  readonly computeType: ComputeType
  readonly cloudType: CloudChoice
  readonly gpuTypeIds: readonly string[]
  readonly gpuTypePriority: Priority
  readonly gpuCount: number
  readonly allowedCudaVersions: readonly string[]
  readonly minRAMPerGPU: number
  readonly minVCPUPerGPU: number
  readonly cpuFlavorIds: readonly string[]
  readonly cpuFlavorPriority: Priority
  readonly vcpuCount: number
  readonly dataCenterIds: readonly string[]
  readonly dataCenterPriority: Priority
  readonly countryCodes: readonly string[]
  readonly minDiskBandwidthMBps: number
  readonly minDownloadMbps: number
  readonly minUploadMbps: number
  readonly supportPublicIp: boolean
  readonly containerDiskInGb: number
  readonly volumeInGb: number
  readonly volumeMountPath: string
  readonly volumeEncrypted: boolean
  readonly ports: readonly string[]
  readonly env: Readonly<Record<string, string>>
  readonly dockerEntrypoint: readonly string[]
  readonly dockerStartCmd: readonly string[]
  readonly interruptible: boolean
  readonly locked: boolean
  readonly globalNetworking: boolean
  readonly templateId: string | null
  readonly networkVolumeId: string | null
  readonly containerRegistryAuthId: string | null
  readonly endpointId: string | null
}

/** RunPod's defaults for a pod created without them (from PodCreateInput). */
export const POD_DEFAULTS = Object.freeze({
  name: 'my pod',
  ports: ['8888/http', '22/tcp'],
  containerDiskInGb: 50,
  volumeInGb: 20,
  volumeMountPath: '/workspace',
  gpuCount: 1,
  vcpuCount: 2,
  minRAMPerGPU: 8,
  minVCPUPerGPU: 2,
})

const PORT = /^(\d{1,5})\/(http|tcp)$/

/** Checks `["8888/http", "22/tcp"]`-style port lists: valid numbers, known protocols, no repeats. */
export function validatePorts(field: string, ports: readonly string[]): void {
  const seen = new Set<string>()
  for (const port of ports) {
    const match = PORT.exec(port)
    const number = match ? Number(match[1]) : 0
    if (!match || number < 1 || number > 65535) {
      throw badRequest(`${field}: "${port}" is not a port; use [port number]/[http|tcp], e.g. "8888/http"`)
    }
    if (seen.has(match[1]!)) throw badRequest(`${field}: port ${match[1]} is listed twice`)
    seen.add(match[1]!)
  }
}

export function validateMountPath(path: string): void {
  if (!path.startsWith('/')) throw badRequest(`volumeMountPath: "${path}" must be an absolute path`)
}

/** The tcp ports of a port list; only these get public host ports (http goes through the proxy). */
export function tcpPorts(ports: readonly string[]): string[] {
  return ports.filter((p) => p.endsWith('/tcp')).map((p) => p.slice(0, -'/tcp'.length))
}

/** Checks ids against the catalog; an absent or empty list means "any". */
function knownIds(field: string, ids: readonly string[] | undefined, known: ReadonlyMap<string, unknown>) {
  if (!ids || ids.length === 0) return undefined
  for (const id of ids) {
    if (!known.has(id)) throw badRequest(`${field}: unknown value "${id}"`)
  }
  return ids
}

export interface SpecContext {
  readonly catalog: Catalog
  readonly template?: Template
  readonly networkVolume?: NetworkVolume
  readonly endpointId?: string
}

/**
 * Applies defaults (the template's, then RunPod's) and validates everything the schema cannot:
 * catalog ids, ports, paths and the combinations RunPod refuses.
 */
export function resolvePodSpec(req: CreatePodRequest, ctx: SpecContext): PodSpec {
  const { catalog, template, networkVolume } = ctx
  const computeType = req.computeType ?? 'GPU'
  const cloudType = req.cloudType ?? 'SECURE'
  const interruptible = req.interruptible ?? false
  const globalNetworking = req.globalNetworking ?? false

  const image = req.imageName ?? template?.imageName
  if (!image) throw badRequest('imageName is required unless a templateId provides it')
  const ports = req.ports ?? template?.ports ?? POD_DEFAULTS.ports
  validatePorts('ports', ports)
  const volumeMountPath = req.volumeMountPath ?? template?.volumeMountPath ?? POD_DEFAULTS.volumeMountPath
  validateMountPath(volumeMountPath)

  const gpuTypeIds = knownIds('gpuTypeIds', req.gpuTypeIds, catalog.gpuTypes) ?? [...catalog.gpuTypes.keys()]
  const cpuFlavorIds = knownIds('cpuFlavorIds', req.cpuFlavorIds, catalog.cpuFlavors) ?? [
    ...catalog.cpuFlavors.keys(),
  ]
  let dataCenterIds = knownIds('dataCenterIds', req.dataCenterIds, catalog.dataCenters) ?? [
    ...catalog.dataCenters.keys(),
  ]

  if (networkVolume) {
    if (!dataCenterIds.includes(networkVolume.dataCenterId)) {
      throw badRequest(
        `networkVolumeId: network volume ${networkVolume.id} is in ${networkVolume.dataCenterId}, which dataCenterIds leaves out`,
      )
    }
    dataCenterIds = [networkVolume.dataCenterId]
  }
  if (globalNetworking) {
    if (computeType !== 'GPU' || interruptible || cloudType === 'COMMUNITY') {
      throw badRequest('globalNetworking: only available for on-demand GPU pods in Secure Cloud')
    }
    dataCenterIds = dataCenterIds.filter((id) => catalog.dataCenters.get(id)?.globalNetworking)
    if (dataCenterIds.length === 0) {
      throw badRequest('globalNetworking: none of the requested data centers offers global networking')
    }
  }

  return {
    name: req.name ?? POD_DEFAULTS.name,
    image,
    computeType,
    cloudType,
    gpuTypeIds,
    gpuTypePriority: req.gpuTypePriority ?? 'availability',
    gpuCount: computeType === 'GPU' ? (req.gpuCount ?? POD_DEFAULTS.gpuCount) : 0,
    allowedCudaVersions: req.allowedCudaVersions ?? [],
    minRAMPerGPU: req.minRAMPerGPU ?? POD_DEFAULTS.minRAMPerGPU,
    minVCPUPerGPU: req.minVCPUPerGPU ?? POD_DEFAULTS.minVCPUPerGPU,
    cpuFlavorIds,
    cpuFlavorPriority: req.cpuFlavorPriority ?? 'availability',
    vcpuCount: req.vcpuCount ?? POD_DEFAULTS.vcpuCount,
    dataCenterIds,
    dataCenterPriority: req.dataCenterPriority ?? 'availability',
    countryCodes: (req.countryCodes ?? []).map((c) => c.toUpperCase()),
    minDiskBandwidthMBps: req.minDiskBandwidthMBps ?? 0,
    minDownloadMbps: req.minDownloadMbps ?? 0,
    minUploadMbps: req.minUploadMbps ?? 0,
    supportPublicIp: req.supportPublicIp ?? false,
    containerDiskInGb: req.containerDiskInGb ?? template?.containerDiskInGb ?? POD_DEFAULTS.containerDiskInGb,
    // An attached network volume replaces the pod volume.
    volumeInGb: networkVolume ? 0 : (req.volumeInGb ?? template?.volumeInGb ?? POD_DEFAULTS.volumeInGb),
    volumeMountPath,
    volumeEncrypted: req.volumeEncrypted ?? false,
    ports,
    env: { ...template?.env, ...req.env },
    dockerEntrypoint: req.dockerEntrypoint ?? template?.dockerEntrypoint ?? [],
    dockerStartCmd: req.dockerStartCmd ?? template?.dockerStartCmd ?? [],
    interruptible,
    locked: req.locked ?? false,
    globalNetworking,
    templateId: template?.id ?? null,
    networkVolumeId: networkVolume?.id ?? null,
    containerRegistryAuthId: req.containerRegistryAuthId ?? template?.containerRegistryAuthId ?? null,
    endpointId: ctx.endpointId ?? null,
  }
}
