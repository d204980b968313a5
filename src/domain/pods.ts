import type { Clock } from '../clock.js'
import type { Catalog } from '../fleet/catalog.js'
import { newCuid, newPodId } from '../ids.js'
import { rankPlacements } from '../scheduler/place.js'
import type { Placement, PlacementRequest } from '../scheduler/types.js'
import type { ComputeClaim } from '../store/machines.js'
import type { PodQuery } from '../store/pods.js'
import type { Repositories, Store } from '../store/store.js'
import { ApiError, badRequest, noInstancesAvailable, notEnoughGpusToStart, podNotFound } from './errors.js'
import type { Pod } from './pod.js'
import { assertActionAllowed, holdsCompute, type PodAction, statusAt } from './pod-lifecycle.js'
import {
  type CreatePodRequest,
  type PodSpec,
  resolvePodSpec,
  tcpPorts,
  validateMountPath,
  validatePorts,
} from './pod-spec.js'
import { cpuPodCostPerHr, gpuPodCostPerHr, gpuPricePerHr } from './pricing.js'
import { STATUS_EVENTS, statusChange } from './status-text.js'
import { runningUsage, stoppedUsage } from './usage.js'

/** Fields a pod can change after creation (v1 PodUpdateInput). */
export interface PodUpdate {
  readonly name?: string
  readonly locked?: boolean
  readonly imageName?: string
  readonly env?: Readonly<Record<string, string>>
  readonly ports?: readonly string[]
  readonly dockerEntrypoint?: readonly string[]
  readonly dockerStartCmd?: readonly string[]
  readonly containerDiskInGb?: number | null
  readonly volumeInGb?: number | null
  readonly volumeMountPath?: string
  readonly containerRegistryAuthId?: string
  readonly globalNetworking?: boolean
}

export interface PodServiceOptions {
  readonly store: Store
  readonly catalog: () => Catalog
  readonly clock: Clock
  /** How long the runtime takes to boot this pod's container. */
  readonly bootDelayMs: (pod: Pick<Pod, 'containerDiskInGb' | 'image'>) => number
}

/** Candidates tried per scheduling round before the fleet is read again. */
const CANDIDATES_PER_ROUND = 8
const SCHEDULING_ROUNDS = 3
const WRITE_RETRIES = 3

/** Thrown inside a transaction to roll it back when another request changed the pod first. */
class LostRace extends Error {}

const computeOf = (p: Placement | Pod): ComputeClaim =>
  'machine' in p
    ? { gpuCount: p.gpuCount, vcpuCount: p.vcpuCount, memoryGb: p.memoryGb, diskGb: p.diskGb }
    : { gpuCount: p.gpuCount, vcpuCount: p.vcpuCount, memoryGb: p.memoryInGb, diskGb: 0 }

function mapPorts(ports: readonly string[], firstHostPort: number): Record<string, number> {
  const mappings: Record<string, number> = {}
  tcpPorts(ports).forEach((port, i) => {
    mappings[port] = firstHostPort + i
  })
  return mappings
}

/** The pod rules: create (schedule + allocate), read, change and move through the lifecycle. */
export class PodService {
  constructor(private readonly o: PodServiceOptions) {}

  async list(userId: string, query: PodQuery): Promise<Pod[]> {
    return this.o.store.pods.list(userId, query)
  }

  async get(userId: string, id: string, options: { includeWorkers?: boolean } = {}): Promise<Pod> {
    const pod = await this.o.store.pods.get(userId, id)
    if (!pod || (pod.endpointId !== null && !options.includeWorkers)) throw podNotFound()
    return pod
  }

  async create(
    userId: string,
    req: CreatePodRequest,
    options: { endpointId?: string; slsVersion?: number } = {},
  ): Promise<Pod> {
    const spec = await this.resolve(userId, req, options.endpointId)
    const catalog = this.o.catalog()
    for (let round = 0; round < SCHEDULING_ROUNDS; round++) {
      const now = this.o.clock.now()
      const request = placementRequest(spec, catalog, now)
      const machines = await this.o.store.machines.candidates({
        gpuTypeIds: spec.computeType === 'GPU' ? spec.gpuTypeIds : undefined,
        cpuFlavorIds: spec.computeType === 'CPU' ? spec.cpuFlavorIds : undefined,
        minGpuFree: spec.gpuCount,
        minVcpuFree: spec.computeType === 'CPU' ? spec.vcpuCount : 0,
        dataCenterIds: spec.dataCenterIds,
      })
      const ranked = rankPlacements(machines, request)
      if (ranked.length === 0) break
      for (const placement of ranked.slice(0, CANDIDATES_PER_ROUND)) {
        const pod = await this.place(userId, spec, placement, options.slsVersion ?? 0)
        if (pod) return pod
      }
    }
    throw noInstancesAvailable()
  }

  /** Allocates on one machine and records the pod, in one transaction; undefined if the machine filled up. */
  private place(
    userId: string,
    spec: PodSpec,
    placement: Placement,
    slsVersion: number,
  ): Promise<Pod | undefined> {
    const now = this.o.clock.now()
    const catalog = this.o.catalog()
    const m = placement.machine
    return this.o.store.transaction(async (tx) => {
      const claim = computeOf(placement)
      const claimed = await tx.machines.claim(m.id, claim, tcpPorts(spec.ports).length)
      if (!claimed) return undefined
      const costPerHr =
        spec.computeType === 'GPU'
          ? gpuPodCostPerHr(
              catalog.gpuTypes.get(m.gpuTypeId!)!,
              spec.gpuCount,
              cloudOf(m),
              spec.interruptible,
            )
          : cpuPodCostPerHr(catalog.cpuFlavors.get(m.cpuFlavorId!)!, spec.vcpuCount)
      const pod: Pod = {
        id: newPodId(),
        userId,
        name: spec.name,
        image: spec.image,
        status: 'PROVISIONING',
        machineId: m.id,
        dataCenterId: m.dataCenterId,
        computeType: spec.computeType,
        gpuTypeId: spec.computeType === 'GPU' ? m.gpuTypeId : null,
        gpuCount: placement.gpuCount,
        cpuFlavorId: spec.computeType === 'CPU' ? m.cpuFlavorId : null,
        vcpuCount: placement.vcpuCount,
        memoryInGb: placement.memoryGb,
        containerDiskInGb: spec.containerDiskInGb,
        volumeInGb: spec.volumeInGb,
        volumeMountPath: spec.volumeMountPath,
        volumeEncrypted: spec.volumeEncrypted,
        ports: spec.ports,
        portMappings: claimed.publicIp ? mapPorts(spec.ports, claimed.firstHostPort) : {},
        publicIp: claimed.publicIp,
        env: spec.env,
        dockerEntrypoint: spec.dockerEntrypoint,
        dockerStartCmd: spec.dockerStartCmd,
        cloudType: cloudOf(m),
        interruptible: spec.interruptible,
        locked: spec.locked,
        globalNetworking: spec.globalNetworking,
        templateId: spec.templateId,
        networkVolumeId: spec.networkVolumeId,
        endpointId: spec.endpointId,
        containerRegistryAuthId: spec.containerRegistryAuthId,
        slsVersion,
        costPerHr,
        lastStartedAt: now,
        lastStatusChange: statusChange(STATUS_EVENTS.create, now),
        readyAt: now + this.o.bootDelayMs({ containerDiskInGb: spec.containerDiskInGb, image: spec.image }),
        createdAt: now,
        updatedAt: now,
        version: 1,
      }
      await tx.pods.insert(pod)
      await tx.allocations.put(pod.id, m.id, claim)
      await tx.usage.open(runningUsage(pod, newCuid(), now))
      return pod
    })
  }

  private async resolve(userId: string, req: CreatePodRequest, endpointId?: string): Promise<PodSpec> {
    const store = this.o.store
    const [template, networkVolume] = await Promise.all([
      req.templateId === undefined ? undefined : store.templates.getUsable(userId, req.templateId),
      req.networkVolumeId === undefined ? undefined : store.networkVolumes.get(userId, req.networkVolumeId),
    ])
    if (req.templateId !== undefined && !template)
      throw badRequest(`templateId: template ${req.templateId} not found`)
    if (req.networkVolumeId !== undefined && !networkVolume) {
      throw badRequest(`networkVolumeId: network volume ${req.networkVolumeId} not found`)
    }
    const spec = resolvePodSpec(req, { catalog: this.o.catalog(), template, networkVolume, endpointId })
    if (spec.containerRegistryAuthId !== null)
      await this.assertRegistryAuth(userId, spec.containerRegistryAuthId)
    return spec
  }

  private async assertRegistryAuth(userId: string, id: string): Promise<void> {
    if (!(await this.o.store.registryAuths.get(userId, id))) {
      throw badRequest(`containerRegistryAuthId: container registry auth ${id} not found`)
    }
  }

  /** Applies `change` to the current pod under optimistic concurrency, retrying lost races. */
  private async write(
    userId: string,
    id: string,
    change: (pod: Pod, now: number, tx: Repositories) => Promise<Pod>,
  ): Promise<Pod> {
    for (let attempt = 0; attempt < WRITE_RETRIES; attempt++) {
      const pod = await this.get(userId, id, { includeWorkers: true })
      try {
        return await this.o.store.transaction(async (tx) => {
          const now = this.o.clock.now()
          const next = await change(pod, now, tx)
          const stamped = { ...next, updatedAt: now, version: pod.version + 1 }
          if (!(await tx.pods.replace(stamped, pod.version))) throw new LostRace()
          await this.meter(tx, pod, stamped, now)
          return stamped
        })
      } catch (error) {
        if (!(error instanceof LostRace)) throw error
      }
    }
    throw new ApiError(409, 'pod is being changed by another request; try again')
  }

  /**
   * Keeps usage in step with the pod: a new interval whenever what it is billed for changes
   * (running or not, its rate, its disk), none once it is terminated.
   */
  private async meter(tx: Repositories, before: Pod, after: Pod, now: number): Promise<void> {
    const billedAs = (p: Pod) =>
      p.status === 'TERMINATED'
        ? 'none'
        : holdsCompute(p.status)
          ? `running:${p.costPerHr}:${p.containerDiskInGb + p.volumeInGb}`
          : `stopped:${p.volumeInGb}`
    if (billedAs(before) === billedAs(after)) return
    await tx.usage.close({ podId: after.id }, now)
    if (after.status === 'TERMINATED') return
    await tx.usage.open(
      holdsCompute(after.status) ? runningUsage(after, newCuid(), now) : stoppedUsage(after, newCuid(), now),
    )
  }

  async act(userId: string, id: string, action: PodAction): Promise<Pod> {
    return this.write(userId, id, async (pod, now, tx) => {
      const status = statusAt(pod, now)
      assertActionAllowed(status, pod.locked, action)
      const booting = (event: string): Pod => ({
        ...pod,
        status: 'STARTING',
        readyAt: now + this.o.bootDelayMs(pod),
        lastStartedAt: now,
        lastStatusChange: statusChange(event, now),
      })
      switch (action) {
        case 'stop': {
          if (holdsCompute(status)) await this.releaseCompute(tx, pod)
          return {
            ...pod,
            status: 'EXITED',
            readyAt: null,
            lastStatusChange: statusChange(STATUS_EVENTS.stop, now),
          }
        }
        case 'start': {
          const claim = computeOf(pod)
          if (!(await tx.machines.claim(pod.machineId, claim))) throw notEnoughGpusToStart()
          await tx.allocations.put(pod.id, pod.machineId, { ...claim, diskGb: await this.heldDisk(tx, pod) })
          return booting(STATUS_EVENTS.start)
        }
        case 'restart':
          return booting(STATUS_EVENTS.restart)
        case 'reset':
          return booting(STATUS_EVENTS.reset)
        case 'terminate': {
          const held = await tx.allocations.get(pod.id)
          if (held) {
            await tx.machines.release(pod.machineId, {
              gpuCount: held.gpu_count,
              vcpuCount: held.vcpu_count,
              memoryGb: held.memory_gb,
              diskGb: held.disk_gb,
            })
            await tx.allocations.delete(pod.id)
          }
          return {
            ...pod,
            status: 'TERMINATED',
            readyAt: null,
            lastStatusChange: statusChange(STATUS_EVENTS.terminate, now),
          }
        }
      }
    })
  }

  private async heldDisk(tx: Repositories, pod: Pod): Promise<number> {
    return (await tx.allocations.get(pod.id))?.disk_gb ?? 0
  }

  /** Stopping gives back GPUs, vCPUs and memory; the disk stays with the pod. */
  private async releaseCompute(tx: Repositories, pod: Pod): Promise<void> {
    const held = await tx.allocations.get(pod.id)
    if (!held) return
    await tx.machines.release(pod.machineId, {
      gpuCount: held.gpu_count,
      vcpuCount: held.vcpu_count,
      memoryGb: held.memory_gb,
      diskGb: 0,
    })
    await tx.allocations.put(pod.id, pod.machineId, {
      gpuCount: 0,
      vcpuCount: 0,
      memoryGb: 0,
      diskGb: held.disk_gb,
    })
  }

  /**
   * Changes a pod. Name and lock change in place; anything that shapes the container (image,
   * env, ports, disks, commands) resets a running pod so it boots again with the new settings.
   */
  async update(userId: string, id: string, patch: PodUpdate): Promise<Pod> {
    if (patch.ports) validatePorts('ports', patch.ports)
    if (patch.volumeMountPath !== undefined) validateMountPath(patch.volumeMountPath)
    if (patch.containerRegistryAuthId !== undefined)
      await this.assertRegistryAuth(userId, patch.containerRegistryAuthId)
    return this.write(userId, id, async (pod, now, tx) => {
      const containerDiskInGb = patch.containerDiskInGb ?? pod.containerDiskInGb
      const volumeInGb = patch.volumeInGb ?? pod.volumeInGb
      if (volumeInGb < pod.volumeInGb) {
        throw badRequest(`volumeInGb: a pod volume can only grow (it is ${pod.volumeInGb} GB)`)
      }
      if (patch.globalNetworking && !this.o.catalog().dataCenters.get(pod.dataCenterId)?.globalNetworking) {
        throw badRequest(`globalNetworking: not available in ${pod.dataCenterId}`)
      }
      let next: Pod = {
        ...pod,
        name: patch.name ?? pod.name,
        locked: patch.locked ?? pod.locked,
        image: patch.imageName ?? pod.image,
        env: patch.env ?? pod.env,
        ports: patch.ports ?? pod.ports,
        dockerEntrypoint: patch.dockerEntrypoint ?? pod.dockerEntrypoint,
        dockerStartCmd: patch.dockerStartCmd ?? pod.dockerStartCmd,
        containerDiskInGb,
        volumeInGb,
        volumeMountPath: patch.volumeMountPath ?? pod.volumeMountPath,
        containerRegistryAuthId: patch.containerRegistryAuthId ?? pod.containerRegistryAuthId,
        globalNetworking: patch.globalNetworking ?? pod.globalNetworking,
      }
      const diskDelta = containerDiskInGb + volumeInGb - (pod.containerDiskInGb + pod.volumeInGb)
      const portsChanged = patch.ports !== undefined && patch.ports.join() !== pod.ports.join()
      if (diskDelta !== 0 || portsChanged) {
        const newPorts = portsChanged ? tcpPorts(next.ports).length : 0
        const grow = { gpuCount: 0, vcpuCount: 0, memoryGb: 0, diskGb: Math.max(diskDelta, 0) }
        const claimed = await tx.machines.claim(pod.machineId, grow, newPorts)
        if (!claimed) throw badRequest(`not enough free disk on the pod's machine for ${diskDelta} GB more`)
        if (diskDelta < 0) await tx.machines.release(pod.machineId, { ...grow, diskGb: -diskDelta })
        const held = await tx.allocations.get(pod.id)
        if (held) {
          await tx.allocations.put(pod.id, pod.machineId, {
            gpuCount: held.gpu_count,
            vcpuCount: held.vcpu_count,
            memoryGb: held.memory_gb,
            diskGb: held.disk_gb + diskDelta,
          })
        }
        if (portsChanged)
          next = {
            ...next,
            portMappings: claimed.publicIp ? mapPorts(next.ports, claimed.firstHostPort) : {},
          }
      }
      const reshapes = (Object.keys(patch) as (keyof PodUpdate)[]).some(
        (k) => k !== 'name' && k !== 'locked' && patch[k] !== undefined && patch[k] !== null,
      )
      const status = statusAt(pod, now)
      if (reshapes && holdsCompute(status)) {
        next = {
          ...next,
          status: 'STARTING',
          readyAt: now + this.o.bootDelayMs(next),
          lastStartedAt: now,
          lastStatusChange: statusChange(STATUS_EVENTS.reset, now),
        }
      }
      return next
    })
  }
}

function cloudOf(m: { secureCloud: boolean }): 'SECURE' | 'COMMUNITY' {
  return m.secureCloud ? 'SECURE' : 'COMMUNITY'
}

/** Translates a pod spec into the scheduler's request, pricing each acceptable type. */
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
    return {
      ...common,
      computeType: 'CPU',
      cpuFlavors: spec.cpuFlavorIds.map((id) => catalog.cpuFlavors.get(id)!),
      cpuFlavorPriority: spec.cpuFlavorPriority,
      vcpuCount: spec.vcpuCount,
    }
  }
  return {
    ...common,
    computeType: 'GPU',
    gpuTypes: spec.gpuTypeIds.map((id) => {
      const type = catalog.gpuTypes.get(id)!
      return {
        id,
        securePrice: gpuPricePerHr(type, 'SECURE', spec.interruptible),
        communityPrice: gpuPricePerHr(type, 'COMMUNITY', spec.interruptible),
      }
    }),
    gpuTypePriority: spec.gpuTypePriority,
    gpuCount: spec.gpuCount,
    minRAMPerGPU: spec.minRAMPerGPU,
    minVCPUPerGPU: spec.minVCPUPerGPU,
    allowedCudaVersions: spec.allowedCudaVersions,
  }
}
