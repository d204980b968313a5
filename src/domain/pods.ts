import type { Clock } from '../clock.js'
import type { Catalog } from '../fleet/catalog.js'
import { newCuid, newPodId } from '../ids.js'
import { planGang } from '../scheduler/gang.js'
import { rankPlacements } from '../scheduler/place.js'
import type { GpuPlacementRequest, Placement } from '../scheduler/types.js'
import type { ComputeClaim } from '../store/machines.js'
import type { PodQuery } from '../store/pods.js'
import type { Repositories, Store } from '../store/store.js'
import {
  ApiError,
  badRequest,
  noClusterCapacity,
  noInstancesAvailable,
  notEnoughGpusToStart,
  podNotFound,
} from './errors.js'
import { cloudOf, placementRequest, podCostOn, specOfPod } from './placement.js'
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
import {
  commitPod,
  computeOf,
  LostRace,
  releaseCompute,
  releaseEverything,
  stopWithin,
} from './pod-writes.js'
import { STATUS_EVENTS, statusChange } from './status-text.js'
import { runningUsage } from './usage.js'

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
  /** null detaches the pod's registry credential. */
  readonly containerRegistryAuthId?: string | null
  readonly globalNetworking?: boolean
}

/** What the domain needs from whatever runs containers (the simulator, later real agents). */
export interface PodRuntime {
  /** How long this pod takes from placement (or restart) to a running container. */
  bootDelayMs(pod: Pick<Pod, 'containerDiskInGb' | 'image'>, firstBoot: boolean): number
  /** Fault injection: whether this create should fail as RunPod's sometimes do. */
  failsCreate(): boolean
}

export interface PodServiceOptions {
  readonly store: Store
  readonly catalog: () => Catalog
  readonly clock: Clock
  readonly runtime: PodRuntime
}

/** Candidates tried per scheduling round before the fleet is read again. */
const CANDIDATES_PER_ROUND = 8
const SCHEDULING_ROUNDS = 3
const WRITE_RETRIES = 3

function mapPorts(ports: readonly string[], firstHostPort: number): Record<string, number> {
  const mappings: Record<string, number> = {}
  tcpPorts(ports).forEach((port, i) => {
    mappings[port] = firstHostPort + i
  })
  return mappings
}

/** The text an interrupted spot pod shows in `lastStatusChange`. */
export const PREEMPTED = 'Interrupted: spot capacity reclaimed for an on-demand rental'

/** The pod rules: create (schedule + allocate), read, change and move through the lifecycle. */
export class PodService {
  constructor(private readonly o: PodServiceOptions) {}

  async list(userId: string, query: PodQuery): Promise<Pod[]> {
    return this.o.store.pods.list(userId, query)
  }

  /** A page of the user's live pods, newest first, after the pod `after` names (keyset paging). */
  async page(
    userId: string,
    p: { after?: { createdAt: number; id: string }; limit: number; excludeClusterPods?: boolean },
  ): Promise<Pod[]> {
    return this.o.store.pods.page(userId, p)
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
    if (this.o.runtime.failsCreate()) throw noInstancesAvailable()
    const catalog = this.o.catalog()
    const filter = {
      gpuTypeIds: spec.computeType === 'GPU' ? spec.gpuTypeIds : undefined,
      cpuFlavorIds: spec.computeType === 'CPU' ? spec.cpuFlavorIds : undefined,
      minGpuFree: spec.gpuCount,
      minVcpuFree: spec.computeType === 'CPU' ? spec.vcpuCount : 0,
      dataCenterIds: spec.dataCenterIds,
    }
    // Loaded before the write: a batched write holds the (SQLite) connection the load would need.
    await this.o.store.fleet.ready()
    for (let round = 0; round < SCHEDULING_ROUNDS; round++) {
      // Ranking happens inside the write, so creates batched together see each other's claims
      // (the fleet cache takes every claimed row at once) instead of all choosing one machine.
      const outcome = await this.o.store
        .batched(async (tx) => {
          const now = this.o.clock.now()
          const request = placementRequest(spec, catalog, now)
          let ranked = rankPlacements(await tx.machines.candidates(filter), request, CANDIDATES_PER_ROUND)
          // Nothing free: an on-demand GPU pod may take GPUs back from interruptible pods.
          if (ranked.length === 0 && request.computeType === 'GPU' && request.mayPreempt) {
            ranked = rankPlacements(await tx.machines.withSpotPods(filter), request, CANDIDATES_PER_ROUND)
          }
          if (ranked.length === 0) return 'full' as const
          for (const placement of ranked) {
            const pod = await this.place(tx, userId, spec, placement, options.slsVersion ?? 0, now)
            if (pod) return pod
          }
          return 'raced' as const
        })
        .catch((error) => {
          if (error instanceof LostRace) return 'raced' as const
          throw error
        })
      if (outcome === 'full') break
      if (outcome !== 'raced') return outcome
    }
    throw noInstancesAvailable()
  }

  /**
   * Gang scheduling (Instant Clusters): `count` identical GPU pods in ONE data center, created in
   * one transaction with whatever `record` writes beside them. All of them land, or none does and
   * nothing stays claimed; no single data center with room for all is a no-capacity error.
   */
  async createGang<T>(
    userId: string,
    req: CreatePodRequest,
    count: number,
    record: (tx: Repositories, pods: readonly Pod[], now: number) => Promise<T>,
    member: (index: number, spec: PodSpec) => Pick<PodSpec, 'name' | 'env'> = (_, spec) => spec,
  ): Promise<T> {
    const spec = await this.resolve(userId, req)
    if (spec.computeType !== 'GPU') throw badRequest('a gang of pods needs GPUs')
    if (this.o.runtime.failsCreate()) throw noClusterCapacity(count)
    const catalog = this.o.catalog()
    const filter = {
      gpuTypeIds: spec.gpuTypeIds,
      minGpuFree: spec.gpuCount,
      minVcpuFree: 0,
      dataCenterIds: spec.dataCenterIds,
    }
    await this.o.store.fleet.ready()
    for (let round = 0; round < SCHEDULING_ROUNDS; round++) {
      const outcome = await this.o.store
        .transaction(async (tx) => {
          const now = this.o.clock.now()
          const request = placementRequest(spec, catalog, now) as GpuPlacementRequest
          const plan = planGang(await tx.machines.candidates(filter), request, count)
          if (!plan) return 'full' as const
          const pods: Pod[] = []
          for (const [i, placement] of plan.entries()) {
            const pod = await this.place(tx, userId, { ...spec, ...member(i, spec) }, placement, 0, now)
            if (!pod) throw new LostRace() // another create took the room: undo every member
            pods.push(pod)
          }
          return { recorded: await record(tx, pods, now) }
        })
        .catch((error) => {
          if (error instanceof LostRace) return 'raced' as const
          throw error
        })
      if (outcome === 'full') break
      if (outcome !== 'raced') return outcome.recorded
    }
    throw noClusterCapacity(count)
  }

  /**
   * Terminates these pods of the user together, in one transaction with whatever `record` writes
   * (a cluster's deletion): all of them give their machines back, or none does.
   */
  async terminateGang<T>(
    userId: string,
    podIds: readonly string[],
    record: (tx: Repositories, now: number) => Promise<T>,
  ): Promise<T> {
    for (let attempt = 0; attempt < WRITE_RETRIES; attempt++) {
      const pods = (await this.o.store.pods.byIds(userId, podIds)).filter((p) => p.status !== 'TERMINATED')
      try {
        return await this.o.store.transaction(async (tx) => {
          const now = this.o.clock.now()
          for (const pod of pods) {
            await releaseEverything(tx, pod)
            const terminated: Pod = {
              ...pod,
              status: 'TERMINATED',
              readyAt: null,
              lastStatusChange: statusChange(STATUS_EVENTS.terminate, now),
            }
            await commitPod(tx, pod, terminated, now)
          }
          return record(tx, now)
        })
      } catch (error) {
        if (!(error instanceof LostRace)) throw error
      }
    }
    throw new ApiError(409, 'pods are being changed by another request; try again')
  }

  /**
   * When a boot on this machine completes: the simulator's boot delay from now, or null on a
   * machine run by `podplane agent`, where the pod runs once its agent reports the container up.
   */
  private readyAt(
    machineId: string,
    pod: Pick<Pod, 'containerDiskInGb' | 'image'>,
    firstBoot: boolean,
    now: number,
  ): number | null {
    if (this.o.store.fleet.row(machineId)?.driver === 'agent') return null
    return now + this.o.runtime.bootDelayMs(pod, firstBoot)
  }

  /** Allocates on one machine and records the pod, inside `tx`; undefined if the machine filled up. */
  private async place(
    tx: Repositories,
    userId: string,
    spec: PodSpec,
    placement: Placement,
    slsVersion: number,
    now: number,
  ): Promise<Pod | undefined> {
    const catalog = this.o.catalog()
    const m = placement.machine
    const claim = {
      gpuCount: placement.gpuCount,
      vcpuCount: placement.vcpuCount,
      memoryGb: placement.memoryGb,
      diskGb: placement.diskGb,
    }
    if (placement.preempts) await this.preempt(tx, m.id, claim, now)
    const claimed = await tx.machines.claim(m.id, claim, {
      hostPorts: tcpPorts(spec.ports).length,
      newPod: { now },
    })
    if (!claimed) {
      if (placement.preempts) throw new LostRace() // roll back the interruptions too
      return undefined
    }
    const costPerHr = podCostOn(m, spec, catalog)
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
      readyAt: this.readyAt(m.id, spec, true, now),
      createdAt: now,
      updatedAt: now,
      version: 1,
    }
    await tx.pods.insertNew(pod, claim, runningUsage(pod, newCuid(), now))
    return pod
  }

  /**
   * Makes room for an on-demand pod by stopping the machine's newest interruptible pods, one at a
   * time, until what is free covers `need` — no more pods than that, and never an on-demand one.
   */
  private async preempt(tx: Repositories, machineId: string, need: ComputeClaim, now: number): Promise<void> {
    const machine = await tx.machines.get(machineId)
    if (!machine) return
    let free = {
      gpus: machine.gpu_count - machine.gpu_used,
      vcpus: machine.vcpu_count - machine.vcpu_used,
      memory: machine.memory_gb - machine.memory_used,
    }
    for (const victim of await tx.pods.onMachine(machineId, { interruptibleOnly: true })) {
      if (free.gpus >= need.gpuCount && free.vcpus >= need.vcpuCount && free.memory >= need.memoryGb) return
      if (!holdsCompute(victim.status)) continue
      await stopWithin(tx, victim, now, PREEMPTED, true)
      free = {
        gpus: free.gpus + victim.gpuCount,
        vcpus: free.vcpus + victim.vcpuCount,
        memory: free.memory + victim.memoryInGb,
      }
    }
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
        return await this.o.store.batched(async (tx) => {
          const now = this.o.clock.now()
          return commitPod(tx, pod, await change(pod, now, tx), now)
        })
      } catch (error) {
        if (!(error instanceof LostRace)) throw error
      }
    }
    throw new ApiError(409, 'pod is being changed by another request; try again')
  }

  async act(userId: string, id: string, action: PodAction): Promise<Pod> {
    return this.write(userId, id, async (pod, now, tx) => {
      const status = statusAt(pod, now)
      assertActionAllowed(status, pod.locked, action)
      const booting = (event: string): Pod => ({
        ...pod,
        status: 'STARTING',
        readyAt: this.readyAt(pod.machineId, pod, false, now),
        lastStartedAt: now,
        lastStatusChange: statusChange(event, now),
      })
      switch (action) {
        case 'stop': {
          if (holdsCompute(status)) await releaseCompute(tx, pod)
          return {
            ...pod,
            status: 'EXITED',
            readyAt: null,
            lastStatusChange: statusChange(STATUS_EVENTS.stop, now),
          }
        }
        case 'start': {
          const claim = computeOf(pod)
          // The claim checks the machine is up and out of maintenance; only a refusal reads the
          // machine, to say why (each statement is a round trip on PostgreSQL).
          if (!(await tx.machines.claim(pod.machineId, claim, { start: { now } }))) {
            await this.assertMachineUp(tx, pod, now)
            throw notEnoughGpusToStart()
          }
          await tx.allocations.setCompute(pod.id, pod.machineId, claim)
          return booting(STATUS_EVENTS.start)
        }
        case 'restart':
          return booting(STATUS_EVENTS.restart)
        case 'reset':
          return booting(STATUS_EVENTS.reset)
        case 'terminate': {
          await releaseEverything(tx, pod)
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

  /** A stopped pod can start again only on its machine, and only while that machine is up. */
  private async assertMachineUp(tx: Repositories, pod: Pod, now: number): Promise<void> {
    const machine = await tx.machines.get(pod.machineId)
    if (!machine || machine.failed_at !== null) throw badRequest('cannot start pod: its machine is down')
    const end = machine.maintenance_end
    if (
      machine.maintenance_start !== null &&
      machine.maintenance_start <= now &&
      (end === null || now < end)
    ) {
      const until = end === null ? '' : ` until ${new Date(end).toISOString()}`
      throw badRequest(`cannot start pod: its machine is in maintenance${until}`)
    }
  }

  /**
   * Stops a pod for the fleet (drain, failure, maintenance), whoever owns it, with `event` as the
   * reason in its status text. Pods that are not running are left alone. `stoppedAt` backdates the
   * stop to when it should have happened (a maintenance window found late); see `stopWithin`.
   */
  async stopForFleet(podId: string, event: string, stoppedAt?: number): Promise<Pod | undefined> {
    return this.writeAnyUser(podId, async (pod, now, tx) =>
      holdsCompute(statusAt(pod, now)) ? stopWithin(tx, pod, now, event, true, stoppedAt ?? now) : undefined,
    )
  }

  /**
   * Changes a pod of whichever user (the fleet's and machine agents' writes) under optimistic
   * concurrency, retrying lost races. `change` writes inside `tx` (commitPod, stopWithin) and
   * returns the pod written, or undefined to leave it as it is. Undefined when the pod is gone.
   */
  async writeAnyUser(
    podId: string,
    change: (pod: Pod, now: number, tx: Repositories) => Promise<Pod | undefined>,
  ): Promise<Pod | undefined> {
    for (let attempt = 0; attempt < WRITE_RETRIES; attempt++) {
      const pod = await this.o.store.pods.getAnyUser(podId)
      if (!pod) return undefined
      try {
        return await this.o.store.transaction(
          async (tx) => (await change(pod, this.o.clock.now(), tx)) ?? pod,
        )
      } catch (error) {
        if (!(error instanceof LostRace)) throw error
      }
    }
    throw new ApiError(409, `pod ${podId} is being changed by another request; try again`)
  }

  /**
   * Moves a running pod to another machine for the fleet (drain), whoever owns it: same
   * hardware, same cloud, and its network volume's data center. It boots again there with new
   * host ports; what was on its old machine's disk stays behind. Stops it when nothing has room.
   */
  async moveForFleet(podId: string, event: string): Promise<Pod | undefined> {
    const pod = await this.o.store.pods.getAnyUser(podId)
    if (!pod) return undefined
    const now = this.o.clock.now()
    if (!holdsCompute(statusAt(pod, now))) return pod
    const catalog = this.o.catalog()
    const [member] = await this.o.store.clusters.membershipsOf(pod.userId, [pod.id])
    // A cluster member stays in its cluster's data center, with the rest of its gang.
    const spec = member
      ? { ...specOfPod(pod, catalog), dataCenterIds: [pod.dataCenterId] }
      : specOfPod(pod, catalog)
    const request = placementRequest(spec, catalog, now)
    const candidates = await this.o.store.machines.candidates({
      gpuTypeIds: spec.computeType === 'GPU' ? spec.gpuTypeIds : undefined,
      cpuFlavorIds: spec.computeType === 'CPU' ? spec.cpuFlavorIds : undefined,
      minGpuFree: spec.gpuCount,
      minVcpuFree: spec.computeType === 'CPU' ? spec.vcpuCount : 0,
      dataCenterIds: spec.dataCenterIds,
    })
    const ranked = rankPlacements(
      candidates.filter((m) => m.id !== pod.machineId),
      request.computeType === 'GPU' ? { ...request, mayPreempt: false } : request,
    )
    for (const placement of ranked.slice(0, CANDIDATES_PER_ROUND)) {
      const m = placement.machine
      const moved = await this.o.store
        .transaction(async (tx) => {
          const claim = {
            gpuCount: placement.gpuCount,
            vcpuCount: placement.vcpuCount,
            memoryGb: placement.memoryGb,
            diskGb: placement.diskGb,
          }
          const claimed = await tx.machines.claim(m.id, claim, {
            hostPorts: tcpPorts(pod.ports).length,
            newPod: { now },
          })
          if (!claimed) return undefined
          await releaseEverything(tx, pod)
          await tx.allocations.put(pod.id, m.id, claim)
          return commitPod(
            tx,
            pod,
            {
              ...pod,
              machineId: m.id,
              dataCenterId: m.dataCenterId,
              vcpuCount: placement.vcpuCount,
              memoryInGb: placement.memoryGb,
              publicIp: claimed.publicIp,
              portMappings: claimed.publicIp ? mapPorts(pod.ports, claimed.firstHostPort) : {},
              costPerHr: podCostOn(m, spec, catalog),
              status: 'STARTING',
              readyAt: this.readyAt(m.id, pod, true, now),
              lastStartedAt: now,
              lastStatusChange: statusChange(event, now),
            },
            now,
          )
        })
        .catch((error) => {
          if (error instanceof LostRace) return undefined
          throw error
        })
      if (moved) return moved
    }
    return this.stopForFleet(podId, event)
  }

  /**
   * Changes a pod. Name and lock change in place; anything that shapes the container (image,
   * env, ports, disks, commands) resets a running pod so it boots again with the new settings.
   */
  async update(userId: string, id: string, patch: PodUpdate): Promise<Pod> {
    if (patch.ports) validatePorts('ports', patch.ports)
    if (patch.volumeMountPath !== undefined) validateMountPath(patch.volumeMountPath)
    if (patch.containerRegistryAuthId) await this.assertRegistryAuth(userId, patch.containerRegistryAuthId)
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
        containerRegistryAuthId:
          patch.containerRegistryAuthId !== undefined
            ? patch.containerRegistryAuthId
            : pod.containerRegistryAuthId,
        globalNetworking: patch.globalNetworking ?? pod.globalNetworking,
      }
      const diskDelta = containerDiskInGb + volumeInGb - (pod.containerDiskInGb + pod.volumeInGb)
      const portsChanged = patch.ports !== undefined && patch.ports.join() !== pod.ports.join()
      if (diskDelta !== 0 || portsChanged) {
        const newPorts = portsChanged ? tcpPorts(next.ports).length : 0
        const grow = { gpuCount: 0, vcpuCount: 0, memoryGb: 0, diskGb: Math.max(diskDelta, 0) }
        const claimed = await tx.machines.claim(pod.machineId, grow, { hostPorts: newPorts })
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
          readyAt: this.readyAt(next.machineId, next, false, now),
          lastStartedAt: now,
          lastStatusChange: statusChange(STATUS_EVENTS.reset, now),
        }
      }
      return next
    })
  }
}
