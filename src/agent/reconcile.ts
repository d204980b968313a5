import { mkdir, readdir, rm } from 'node:fs/promises'
import { basename, join } from 'node:path'
import {
  containerName,
  containerSpec,
  type HostLayout,
  podVolumeDir,
  volumeSource,
} from './container-spec.js'
import type { ControlPlane } from './control-plane.js'
import { LogFollowers } from './log-followers.js'
import type { Logger } from './logger.js'
import type { LogShipper } from './logs.js'
import { type PodStep, planPod } from './plan.js'
import type { DesiredPod, DesiredState, PodReport } from './protocol.js'
import { isConnectionError, type PodContainer, type Runtime, runtimeMessage } from './runtime.js'

const STOP_TIMEOUT_SECONDS = 5

export interface ReconcilerOptions {
  runtime: Runtime
  controlPlane: Pick<ControlPlane, 'report' | 'registryAuth'>
  logs: LogShipper
  host: HostLayout & {
    /** Host GPU indices pods may be given. */
    gpuIndices: readonly number[]
  }
  logger: Logger
}

/**
 * Makes this machine's containers match a {@link DesiredState} and reports what happened. Pods are
 * worked on independently, so one long image pull does not hold up stopping another pod; a pod
 * still being worked on is skipped and looked at again on the next call.
 */
export class Reconciler {
  private readonly lastReports = new Map<string, PodReport>()
  private readonly failedBoots = new Map<string, string>()
  private readonly busy = new Set<string>()
  private readonly followers: LogFollowers
  /** Creation is one at a time, so two pods cannot be handed the same GPU. */
  private creating: Promise<unknown> = Promise.resolve()

  constructor(private readonly options: ReconcilerOptions) {
    this.followers = new LogFollowers(options.runtime, options.logs, options.logger)
  }

  /** Never throws: what could not be done is reported to the control plane and retried next time. */
  async reconcile(state: DesiredState): Promise<void> {
    let containers: PodContainer[]
    try {
      containers = await this.options.runtime.list(this.options.host.machineId)
    } catch (error) {
      await this.runtimeUnavailable(state.pods, error)
      return
    }
    const leftVolumes = await this.volumesOfOtherPods(state.pods)
    this.followers.prune(new Set(containers.map((c) => c.id)))
    const desired = new Map(state.pods.map((pod) => [pod.id, pod]))
    const podIds = new Set([...desired.keys(), ...containers.map((c) => c.podId), ...leftVolumes])
    await Promise.all(
      [...podIds]
        .filter((podId) => !this.busy.has(podId))
        .map((podId) =>
          this.reconcilePod(
            podId,
            desired.get(podId),
            containers.filter((c) => c.podId === podId),
          ),
        ),
    )
  }

  /** Stops following logs; containers keep running. */
  close(): Promise<void> {
    return this.followers.close()
  }

  private async reconcilePod(
    podId: string,
    pod: DesiredPod | undefined,
    containers: PodContainer[],
  ): Promise<void> {
    this.busy.add(podId)
    try {
      const memory = {
        lastReport: this.lastReports.get(podId),
        bootFailed: pod !== undefined && this.failedBoots.get(podId) === pod.bootId,
      }
      let current = pod && containers.find((c) => c.bootId === pod.bootId)
      for (const step of planPod(pod, containers, memory)) {
        const started = await this.apply(podId, pod, step)
        if (step.kind === 'create' || step.kind === 'start') current = started
      }
      if (pod?.desiredStatus === 'RUNNING' && current)
        this.followers.ensure(podId, current.id, current.state === 'running', pod.logsAfter)
    } catch (error) {
      if (pod && isConnectionError(error)) await this.runtimeUnavailable([pod], error)
      else this.options.logger.error(`reconciling pod ${podId} failed: ${runtimeMessage(error)}`)
    } finally {
      this.busy.delete(podId)
    }
  }

  /** Applies one step; `create` and `start` return the container now running, if any. */
  private async apply(
    podId: string,
    pod: DesiredPod | undefined,
    step: PodStep,
  ): Promise<PodContainer | undefined> {
    const { runtime, logs } = this.options
    switch (step.kind) {
      case 'remove':
        for (const container of step.containers) {
          this.followers.drop(container.id)
          await runtime.remove(container.id)
          if (pod) logs.system(podId, `Removed container ${container.name} of an earlier boot`)
        }
        return
      case 'purge':
        await rm(podVolumeDir(this.options.host.dataDir, podId), { recursive: true, force: true })
        this.lastReports.delete(podId)
        this.failedBoots.delete(podId)
        logs.forget(podId)
        return
      case 'stop':
        await runtime.stop(step.container.id, STOP_TIMEOUT_SECONDS)
        logs.system(podId, `Stopped container ${step.container.name}`)
        return
      case 'report-running':
        await this.report(podId, { bootId: step.container.bootId, state: 'running' })
        return
      case 'report-exit': {
        const exitCode = await runtime.exitCode(step.container.id)
        logs.system(podId, `Container exited with code ${exitCode}`)
        await this.report(podId, { bootId: step.container.bootId, state: 'exited', exitCode })
        return
      }
      case 'start':
        return pod && this.start(pod, step.container)
      case 'create':
        return pod && this.create(pod)
    }
  }

  private async create(pod: DesiredPod): Promise<PodContainer | undefined> {
    const { runtime, logs } = this.options
    const present = await runtime.hasImage(pod.image)
    const note = present ? 'creating container' : `pulling image ${pod.image}`
    await this.report(pod.id, { bootId: pod.bootId, state: 'starting', message: note })
    if (present) logs.system(pod.id, `Image ${pod.image} present`)
    else {
      logs.system(pod.id, `Pulling image ${pod.image}`)
      try {
        await runtime.pull(pod.image, await this.registryAuth(pod))
      } catch (error) {
        return this.fail(pod, `image pull failed: ${runtimeMessage(error)}`, error)
      }
      logs.system(pod.id, `Pulled image ${pod.image}`)
    }
    const created = this.creating.then(() => this.createContainer(pod))
    this.creating = created.catch(() => {})
    return created
  }

  /** Runs alone (see `creating`): reads the containers afresh to hand out free GPUs. */
  private async createContainer(pod: DesiredPod): Promise<PodContainer | undefined> {
    const { runtime, logs, host } = this.options
    const containers = await runtime.list(host.machineId)
    const existing = containers.find((c) => c.podId === pod.id && c.bootId === pod.bootId)
    if (existing) return existing
    const used = new Set(containers.filter((c) => c.state !== 'exited').flatMap((c) => c.gpuIndices))
    const free = host.gpuIndices.filter((index) => !used.has(index))
    if (free.length < pod.gpuCount)
      return this.fail(
        pod,
        `not enough free GPUs on this machine: ${pod.gpuCount} wanted, ${free.length} free`,
      )
    const gpuIndices = free.slice(0, pod.gpuCount)
    const volume = volumeSource(pod, host.dataDir, host.networkVolumeDir)
    if (volume) await mkdir(volume, { recursive: true })
    let id: string
    try {
      id = await runtime.create(containerSpec(pod, host, gpuIndices))
    } catch (error) {
      return this.fail(pod, `container create failed: ${runtimeMessage(error)}`, error)
    }
    const name = containerName(pod)
    logs.system(pod.id, `Created container ${name}`)
    return this.start(pod, { id, name, podId: pod.id, bootId: pod.bootId, gpuIndices, state: 'created' })
  }

  /**
   * A container that fails to start is removed (its error is reported and logged) and its boot is
   * not tried again.
   */
  private async start(pod: DesiredPod, container: PodContainer): Promise<PodContainer | undefined> {
    const { runtime, logs } = this.options
    try {
      await runtime.start(container.id)
    } catch (error) {
      if (!isConnectionError(error)) await runtime.remove(container.id).catch(() => {})
      return this.fail(pod, `container start failed: ${runtimeMessage(error)}`, error)
    }
    logs.system(pod.id, `Started container ${container.name}`)
    await this.report(pod.id, { bootId: pod.bootId, state: 'running' })
    return { ...container, state: 'running' }
  }

  /** The runtime refused this boot: report it once and leave it be. Unreachable runtimes are retried. */
  private async fail(pod: DesiredPod, message: string, cause?: unknown): Promise<undefined> {
    if (isConnectionError(cause)) throw cause
    this.failedBoots.set(pod.id, pod.bootId)
    this.options.logs.system(pod.id, message)
    this.options.logger.warn(`pod ${pod.id}: ${message}`)
    await this.report(pod.id, { bootId: pod.bootId, state: 'error', message: message.slice(0, 2000) })
    return undefined
  }

  private async runtimeUnavailable(pods: DesiredPod[], error: unknown): Promise<void> {
    const message = `container runtime unavailable: ${runtimeMessage(error)}`.slice(0, 2000)
    await Promise.all(
      pods
        .filter((pod) => pod.desiredStatus === 'RUNNING')
        .map((pod) => this.report(pod.id, { bootId: pod.bootId, state: 'error', message })),
    )
  }

  /** Sends a report unless the control plane already has this very one; failures are tried again. */
  private async report(podId: string, report: PodReport): Promise<void> {
    const last = this.lastReports.get(podId)
    if (last?.bootId === report.bootId && last.state === report.state && last.message === report.message)
      return
    this.lastReports.set(podId, report)
    try {
      await this.options.controlPlane.report(podId, report)
    } catch (error) {
      if (this.lastReports.get(podId) === report) this.lastReports.delete(podId)
      this.options.logger.warn(`reporting pod ${podId} ${report.state} failed: ${(error as Error).message}`)
    }
  }

  /** The pull's credential, passed to the runtime for that pull only; never logged or kept. */
  private async registryAuth(pod: DesiredPod) {
    if (!pod.hasRegistryAuth) return undefined
    const { username, password } = await this.options.controlPlane.registryAuth(pod.id)
    return { username, password, serveraddress: registryHost(pod.image) }
  }

  /** Volume directories of pods not on this machine anymore, such as one a failed creation left. */
  private async volumesOfOtherPods(pods: DesiredPod[]): Promise<string[]> {
    const { dataDir } = this.options.host
    const kept = new Set(pods.map((pod) => basename(podVolumeDir(dataDir, pod.id))))
    try {
      return (await readdir(join(dataDir, 'pods'))).filter((name) => !kept.has(name))
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT')
        this.options.logger.error(`reading ${join(dataDir, 'pods')} failed: ${(error as Error).message}`)
      return []
    }
  }
}

/** `ghcr.io/org/app:1` → `ghcr.io`; a name without a registry host is on Docker Hub. */
export function registryHost(image: string): string {
  const first = image.split('/')[0] ?? ''
  return image.includes('/') && (first.includes('.') || first.includes(':') || first === 'localhost')
    ? first
    : 'docker.io'
}
