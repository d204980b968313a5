import { randomUUID } from 'node:crypto'
import type { Clock } from '../clock.js'
import type { Catalog } from '../fleet/catalog.js'
import { CUDA_VERSIONS } from '../fleet/catalog-data.js'
import { newEndpointId } from '../ids.js'
import type { Repositories, Store } from '../store/store.js'
import { type EndpointRelease, newRelease, RELEASE_FIELDS } from './endpoint-releases.js'
import {
  boundTemplate,
  type ContainerSettings,
  containerOf,
  sameContainer,
  validateContainer,
} from './endpoint-templates.js'
import { ApiError, badRequest, notFound } from './errors.js'
import type { Pod } from './pod.js'
import type { CreatePodRequest } from './pod-spec.js'
import type { PodService } from './pods.js'
import type { Endpoint, EndpointConfig, Template } from './resources.js'

export type EndpointInput = Partial<Omit<EndpointConfig, 'boundTemplate'>> & {
  readonly name?: string
  readonly templateId?: string
  /** RunPod's single-volume field; folded into `networkVolumeIds`. */
  readonly networkVolumeId?: string
  /** What workers run, set on the endpoint itself (v2): it gets a template of its own. */
  readonly container?: ContainerSettings
  /** The template `container` was resolved from at create (v2 `templateId`), for what v2 cannot express. */
  readonly containerFrom?: Template
}

export const endpointNotFound = () => notFound('endpoint')

export interface EndpointServiceOptions {
  readonly store: Store
  readonly clock: Clock
  readonly catalog: () => Catalog
  readonly pods: PodService
  /** Names this process in leases, so replicas never reconcile one endpoint at the same time. */
  readonly replicaId: string
}

/** Longest a reconciliation may hold an endpoint before another replica may take over. */
const RECONCILE_LEASE_MS = 60_000
/**
 * How long a change or a delete waits for the endpoint's lease (held by a reconciliation or another
 * change in flight), and how often it looks. Real time, not the app's clock: holders take milliseconds.
 */
const LEASE_WAIT_MS = 5_000
const LEASE_POLL_MS = 25

/**
 * Serverless endpoints. The simulated fleet runs an endpoint's workers as pods carrying its id,
 * keeping `workersMin` of them alive (never more than `workersMax`); with no request traffic to
 * simulate, no worker scales above the minimum.
 */
export class EndpointService {
  constructor(private readonly o: EndpointServiceOptions) {}

  list(userId: string): Promise<Endpoint[]> {
    return this.o.store.endpoints.list(userId)
  }

  async get(userId: string, id: string): Promise<Endpoint> {
    const endpoint = await this.o.store.endpoints.get(userId, id)
    if (!endpoint) throw endpointNotFound()
    return endpoint
  }

  /** Live workers of these endpoints, by endpoint id. */
  async workers(userId: string, endpointIds: readonly string[]): Promise<Map<string, Pod[]>> {
    const byEndpoint = new Map<string, Pod[]>(endpointIds.map((id) => [id, []]))
    if (endpointIds.length === 0) return byEndpoint
    const pods = await this.o.store.pods.list(userId, { includeWorkers: true })
    for (const pod of pods) if (pod.endpointId !== null) byEndpoint.get(pod.endpointId)?.push(pod)
    return byEndpoint
  }

  /** Creates an endpoint on a shared template (`templateId`) or on its own `container` settings. */
  async create(
    userId: string,
    input: EndpointInput & ({ templateId: string } | { container: ContainerSettings }),
  ): Promise<Endpoint> {
    const computeType = input.computeType ?? 'GPU'
    const catalog = this.o.catalog()
    const now = this.o.clock.now()
    const name = input.name ?? 'my endpoint'
    const bound = input.container && boundTemplate(userId, name, input.container, now, input.containerFrom)
    const endpoint: Endpoint = {
      id: newEndpointId(),
      userId,
      name,
      templateId: bound?.id ?? (input.templateId as string),
      version: 0,
      createdAt: now,
      type: input.type ?? 'QUEUE',
      computeType,
      // Empty means any GPU type.
      gpuTypeIds: input.gpuTypeIds ?? [],
      gpuCount: input.gpuCount ?? 1,
      allowedCudaVersions: input.allowedCudaVersions ?? [],
      minCudaVersion: input.minCudaVersion ?? null,
      cpuFlavorIds: input.cpuFlavorIds ?? (computeType === 'CPU' ? ['cpu3c', 'cpu3g', 'cpu5c', 'cpu5g'] : []),
      vcpuCount: input.vcpuCount ?? 2,
      dataCenterIds: input.dataCenterIds ?? [...catalog.dataCenters.keys()],
      networkVolumeIds: volumeIds(input) ?? [],
      executionTimeoutMs: input.executionTimeoutMs ?? 600_000,
      idleTimeout: input.idleTimeout ?? 5,
      scalerType: input.scalerType ?? 'QUEUE_DELAY',
      scalerValue: input.scalerValue ?? 4,
      workersMin: input.workersMin ?? 0,
      workersMax: input.workersMax ?? 3,
      flashboot: input.flashboot ?? 'OFF',
      boundTemplate: bound !== undefined,
    }
    if (bound) await validateContainer(this.o.store, userId, bound)
    const template = bound ?? (await this.o.store.templates.getUsable(userId, endpoint.templateId))
    await this.validate(endpoint, template)
    await this.o.store.transaction(async (tx) => {
      if (bound) await tx.templates.insert(bound)
      await tx.endpoints.insert(endpoint)
      await tx.endpointReleases.insert(newRelease(endpoint, template, userId, now))
    })
    await this.reconcile(endpoint)
    return endpoint
  }

  /**
   * Changes what the input names. New `container` settings go into the endpoint's own template
   * when no other endpoint runs on it, else into a new template of its own; a template of its own
   * that it leaves is deleted. Changes to one endpoint apply one at a time (under its lease), each
   * over the one before: `change` may be a function of the endpoint as it then is, for inputs
   * derived from it (v2 merges container settings and CUDA constraints into the current ones).
   */
  async update(
    userId: string,
    id: string,
    change: EndpointInput | ((current: Endpoint) => EndpointInput | Promise<EndpointInput>),
  ): Promise<Endpoint> {
    await this.get(userId, id)
    const next = await this.withLease(id, async () => {
      const current = await this.get(userId, id)
      return this.apply(current, typeof change === 'function' ? await change(current) : change)
    })
    await this.reconcile(next)
    return next
  }

  private async apply(current: Endpoint, input: EndpointInput): Promise<Endpoint> {
    const { userId } = current
    const now = this.o.clock.now()
    const defined = Object.fromEntries(
      Object.entries(input).filter(([, v]) => v !== undefined),
    ) as EndpointInput
    const { networkVolumeId: _single, container, containerFrom: _from, ...rest } = defined
    let next: Endpoint = {
      ...current,
      ...rest,
      networkVolumeIds: volumeIds(defined) ?? current.networkVolumeIds,
      boundTemplate: (rest.templateId ?? current.templateId) === current.templateId && current.boundTemplate,
    }
    let template = await this.o.store.templates.getUsable(userId, next.templateId)
    let templateWrite: 'insert' | 'update' | undefined
    if (container && !(template && sameContainer(containerOf(template), container))) {
      await validateContainer(this.o.store, userId, container)
      const ownAlone =
        template &&
        next.boundTemplate &&
        (await this.o.store.endpoints.usingTemplate(template.id)).length === 1
      if (template && ownAlone) {
        template = { ...template, ...container }
        templateWrite = 'update'
      } else {
        template = boundTemplate(userId, next.name, container, now, template)
        next = { ...next, templateId: template.id, boundTemplate: true }
        templateWrite = 'insert'
      }
    }
    const released =
      templateWrite !== undefined ||
      RELEASE_FIELDS.some((f) => JSON.stringify(next[f]) !== JSON.stringify(current[f]))
    if (released) next = { ...next, version: current.version + 1 }
    await this.validate(next, template)
    const left = current.boundTemplate && next.templateId !== current.templateId ? current.templateId : null
    const written = next
    await this.o.store.transaction(async (tx) => {
      if (template && templateWrite === 'insert') await tx.templates.insert(template)
      if (template && templateWrite === 'update') await tx.templates.update(template)
      await tx.endpoints.update(written)
      if (released) await tx.endpointReleases.insert(newRelease(written, template, userId, now))
      if (left) await deleteIfUnused(tx, userId, left)
    })
    return next
  }

  /**
   * Terminates the endpoint's workers and deletes it with its history and its own template. It
   * holds the endpoint's reconciliation lease meanwhile (waiting for a pass in flight to finish),
   * so no pass starts a worker after the delete has looked: such a worker would outlive its endpoint.
   */
  async delete(userId: string, id: string): Promise<void> {
    await this.get(userId, id)
    await this.withLease(id, async () => {
      // Read it again under the lease: another request may have deleted it meanwhile.
      const endpoint = await this.get(userId, id)
      for (const worker of (await this.workers(userId, [id])).get(id) ?? []) {
        await this.o.pods.act(userId, worker.id, 'terminate')
      }
      await this.o.store.transaction(async (tx) => {
        await tx.endpoints.delete(userId, id)
        await tx.endpointReleases.deleteFor(userId, id)
        if (endpoint.boundTemplate) await deleteIfUnused(tx, userId, endpoint.templateId)
      })
    })
  }

  /**
   * Runs `fn` holding the endpoint's lease, the one reconciliation takes, after waiting a while for
   * its holder to let go. A holder that died keeps it until it expires; past the wait, `fn` runs
   * without it rather than fail the request.
   */
  private async withLease<T>(endpointId: string, fn: () => Promise<T>): Promise<T> {
    const lease = `endpoint:${endpointId}`
    const holder = `${this.o.replicaId}:${randomUUID()}`
    const until = Date.now() + LEASE_WAIT_MS
    let held = false
    for (;;) {
      held = await this.o.store.leases.acquire(lease, holder, RECONCILE_LEASE_MS, this.o.clock.now())
      if (held || Date.now() >= until) break
      await new Promise((resolve) => setTimeout(resolve, LEASE_POLL_MS))
    }
    try {
      return await fn()
    } finally {
      if (held) await this.o.store.leases.release(lease, holder)
    }
  }

  /** The endpoint's release history, newest first. */
  releases(endpoint: Endpoint): Promise<EndpointRelease[]> {
    return this.o.store.endpointReleases.list(endpoint.userId, endpoint.id)
  }

  /** A template changed: every endpoint on it rolls out a new release. */
  async templateChanged(template: Template): Promise<void> {
    for (const { id, userId } of await this.o.store.endpoints.usingTemplate(template.id)) {
      const next = await this.withLease(id, async () => {
        // Read it again under the lease: a change may have moved it off the template meanwhile.
        const endpoint = await this.o.store.endpoints.get(userId, id)
        if (!endpoint || endpoint.templateId !== template.id) return undefined
        const bumped = { ...endpoint, version: endpoint.version + 1 }
        const by = template.userId === userId ? userId : null
        await this.o.store.transaction(async (tx) => {
          await tx.endpoints.update(bumped)
          await tx.endpointReleases.insert(newRelease(bumped, template, by, this.o.clock.now()))
        })
        return bumped
      })
      if (next) await this.reconcile(next)
    }
  }

  /** Brings every endpoint's workers in line; the simulator calls this periodically. */
  async reconcileAll(): Promise<void> {
    for (const endpoint of await this.o.store.endpoints.all()) await this.reconcile(endpoint)
  }

  /**
   * Replaces workers of older releases or that stopped, trims extras, and starts missing ones
   * while the fleet has room (the rest wait for the next pass, as throttled workers do on RunPod).
   * One reconciliation per endpoint at a time across all replicas: if another holds the endpoint's
   * lease, this one steps aside and the next periodic pass catches up.
   */
  async reconcile(endpoint: Endpoint): Promise<void> {
    const lease = `endpoint:${endpoint.id}`
    const holder = `${this.o.replicaId}:${randomUUID()}`
    if (!(await this.o.store.leases.acquire(lease, holder, RECONCILE_LEASE_MS, this.o.clock.now()))) return
    try {
      // Read it again under the lease: another request may have changed or deleted it.
      const current = await this.o.store.endpoints.get(endpoint.userId, endpoint.id)
      if (current) await this.reconcileHeld(current)
    } finally {
      await this.o.store.leases.release(lease, holder)
    }
  }

  private async reconcileHeld(endpoint: Endpoint): Promise<void> {
    const { userId } = endpoint
    const workers = (await this.workers(userId, [endpoint.id])).get(endpoint.id) ?? []
    const healthy: Pod[] = []
    for (const worker of workers) {
      if (worker.slsVersion === endpoint.version && worker.status !== 'EXITED' && worker.status !== 'ERROR') {
        healthy.push(worker)
      } else {
        await this.o.pods.act(userId, worker.id, 'terminate')
      }
    }
    const desired = Math.min(endpoint.workersMin, endpoint.workersMax)
    // Pods are listed newest first: trim the newest.
    for (const extra of healthy.splice(0, Math.max(healthy.length - desired, 0))) {
      await this.o.pods.act(userId, extra.id, 'terminate')
    }
    if (healthy.length >= desired) return
    const template = await this.o.store.templates.getUsable(userId, endpoint.templateId)
    if (!template) return
    for (let missing = desired - healthy.length; missing > 0; missing--) {
      if (!(await this.startWorker(endpoint, template))) return
    }
  }

  /** Starts one worker in any of the endpoint's volumes' data centers; false when none has room. */
  private async startWorker(endpoint: Endpoint, template: Template): Promise<boolean> {
    const base: CreatePodRequest = {
      name: `${endpoint.name} worker`,
      imageName: template.imageName,
      env: template.env,
      ports: template.ports,
      containerDiskInGb: template.containerDiskInGb,
      volumeInGb: 0,
      volumeMountPath: template.volumeMountPath,
      dockerEntrypoint: template.dockerEntrypoint,
      dockerStartCmd: template.dockerStartCmd,
      containerRegistryAuthId: template.containerRegistryAuthId ?? undefined,
      templateId: template.id,
      computeType: endpoint.computeType,
      cloudType: 'ALL',
      gpuTypeIds: endpoint.gpuTypeIds.length > 0 ? endpoint.gpuTypeIds : undefined,
      gpuCount: endpoint.gpuCount,
      allowedCudaVersions: workerCudaVersions(endpoint),
      cpuFlavorIds: endpoint.cpuFlavorIds,
      vcpuCount: endpoint.vcpuCount,
      dataCenterIds: endpoint.dataCenterIds,
    }
    const volumes = endpoint.networkVolumeIds.length > 0 ? endpoint.networkVolumeIds : [undefined]
    for (const networkVolumeId of volumes) {
      try {
        await this.o.pods.create(
          endpoint.userId,
          { ...base, networkVolumeId },
          { endpointId: endpoint.id, slsVersion: endpoint.version },
        )
        return true
      } catch (error) {
        // No room (500) or a volume outside the endpoint's data centers (400): try the next volume.
        if (!(error instanceof ApiError)) throw error
      }
    }
    return false
  }

  private async validate(e: Endpoint, template: Template | undefined): Promise<void> {
    const catalog = this.o.catalog()
    const unknown = (field: string, ids: readonly string[], known: ReadonlyMap<string, unknown>) => {
      const bad = ids.find((id) => !known.has(id))
      if (bad !== undefined) throw badRequest(`${field}: unknown value "${bad}"`)
    }
    unknown('gpuTypeIds', e.gpuTypeIds, catalog.gpuTypes)
    unknown('cpuFlavorIds', e.cpuFlavorIds, catalog.cpuFlavors)
    unknown('dataCenterIds', e.dataCenterIds, catalog.dataCenters)
    if (e.workersMin > e.workersMax) throw badRequest('workersMin must not exceed workersMax')
    // v2 states it in its schema; v1, which knows no routing type, could otherwise set it.
    if (e.type === 'LOAD_BALANCER' && e.scalerType === 'QUEUE_DELAY')
      throw badRequest('scalerType: a LOAD_BALANCER endpoint scales on REQUEST_COUNT')
    if (e.computeType === 'GPU' && workerCudaVersions(e).length === 0 && e.minCudaVersion !== null) {
      throw badRequest('allowedCudaVersions: none is at or above minCudaVersion')
    }
    if (!template) throw badRequest(`templateId: template ${e.templateId} not found`)
    if (!template.isServerless)
      throw badRequest(`templateId: template ${e.templateId} is a pod template, not a serverless one`)
    for (const id of e.networkVolumeIds) {
      const volume = await this.o.store.networkVolumes.get(e.userId, id)
      if (!volume) throw badRequest(`networkVolumeIds: network volume ${id} not found`)
      if (!e.dataCenterIds.includes(volume.dataCenterId)) {
        throw badRequest(
          `networkVolumeIds: network volume ${id} is in ${volume.dataCenterId}, which dataCenterIds leaves out`,
        )
      }
    }
  }
}

/** Deletes an endpoint's own template once no endpoint runs on it. */
async function deleteIfUnused(tx: Repositories, userId: string, templateId: string): Promise<void> {
  if ((await tx.endpoints.usingTemplate(templateId)).length === 0)
    await tx.templates.delete(userId, templateId)
}

function volumeIds(input: EndpointInput): readonly string[] | undefined {
  if (input.networkVolumeIds !== undefined) return input.networkVolumeIds
  return input.networkVolumeId === undefined ? undefined : [input.networkVolumeId]
}

/** The CUDA versions a worker may land on: the allowed list, cut at the minimum version. */
export function workerCudaVersions(
  e: Pick<EndpointConfig, 'allowedCudaVersions' | 'minCudaVersion'>,
): string[] {
  const allowed =
    e.allowedCudaVersions.length > 0 ? [...e.allowedCudaVersions] : e.minCudaVersion ? [...CUDA_VERSIONS] : []
  return e.minCudaVersion === null ? allowed : allowed.filter((v) => Number(v) >= Number(e.minCudaVersion))
}
