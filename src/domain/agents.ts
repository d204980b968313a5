import { randomBytes } from 'node:crypto'
import type { DesiredPod, DesiredState, Inventory, PodReport, RegistryCredential } from '../agent/protocol.js'
import type { Clock } from '../clock.js'
import type { Catalog } from '../fleet/catalog.js'
import { newCuid } from '../ids.js'
import type { JoinTokenRow, StoredLogLine } from '../store/agents.js'
import type { Store } from '../store/store.js'
import { hashApiKey } from './api-keys.js'
import { badRequest, notFound, podNotFound, unauthorized } from './errors.js'
import type { FleetService } from './fleet.js'
import type { Pod } from './pod.js'
import { holdsCompute } from './pod-lifecycle.js'
import { commitPod, stopWithin } from './pod-writes.js'
import type { PodService } from './pods.js'
import type { RegistryAuthService } from './registry-auths.js'
import { statusChange } from './status-text.js'

/** The failure note of a machine taken down for missing heartbeats; only those come back by themselves. */
export const HEARTBEAT_MISSED = 'agent missed its heartbeats'
/** How often an agent is asked to send a heartbeat. */
export const HEARTBEAT_INTERVAL_MS = 5000
/** CPU-only hosts join as this flavor. */
const CPU_HOST_FLAVOR = 'cpu3g'

export interface JoinTokenView {
  readonly id: string
  readonly dataCenterId: string
  readonly secureCloud: boolean
  readonly note: string | null
  readonly createdAt: string
  readonly expiresAt: string | null
  readonly revokedAt: string | null
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

export function joinTokenView(row: JoinTokenRow): JoinTokenView {
  return {
    id: row.id,
    dataCenterId: row.data_center_id,
    secureCloud: row.secure_cloud === 1,
    note: row.note,
    createdAt: iso(row.created_at)!,
    expiresAt: iso(row.expires_at),
    revokedAt: iso(row.revoked_at),
  }
}

const secret = (prefix: string) => `${prefix}_${randomBytes(30).toString('base64url')}`

/** The catalog GPU type an inventory names, by id or display name (nvidia-smi says "NVIDIA A40"). */
function gpuTypeOf(catalog: Catalog, name: string): string {
  const wanted = name.trim().toLowerCase()
  for (const type of catalog.gpuTypes.values()) {
    if (type.id.toLowerCase() === wanted || type.displayName.toLowerCase() === wanted) return type.id
  }
  throw badRequest(
    `gpus: unknown GPU model "${name}"; an operator can add it with \`podplane fleet gpu-types add\``,
  )
}

/**
 * Machines run by `podplane agent`: joining with a token, heartbeats, the desired state of each
 * machine's pods, and what the agent reports back about the containers it runs.
 */
export class AgentService {
  constructor(
    private readonly o: {
      store: Store
      clock: Clock
      catalog: () => Catalog
      fleet: FleetService
      registryAuths: RegistryAuthService
      pods: PodService
      heartbeatTimeoutMs: number
    },
  ) {}

  async createJoinToken(input: {
    dataCenterId: string
    expiresInMs?: number | null
    secureCloud?: boolean
    note?: string
  }): Promise<{ token: string; joinToken: JoinTokenView }> {
    if (!this.o.catalog().dataCenters.has(input.dataCenterId))
      throw badRequest(`dataCenterId: unknown value "${input.dataCenterId}"`)
    const now = this.o.clock.now()
    const token = secret('pjt')
    const row: JoinTokenRow = {
      id: newCuid(),
      token_hash: hashApiKey(token),
      data_center_id: input.dataCenterId,
      secure_cloud: input.secureCloud === false ? 0 : 1,
      note: input.note ?? null,
      created_at: now,
      expires_at: input.expiresInMs ? now + input.expiresInMs : null,
      revoked_at: null,
    }
    await this.o.store.agents.insertJoinToken(row)
    return { token, joinToken: joinTokenView(row) }
  }

  async listJoinTokens(): Promise<JoinTokenView[]> {
    return (await this.o.store.agents.joinTokens()).map(joinTokenView)
  }

  async revokeJoinToken(id: string): Promise<void> {
    if (!(await this.o.store.agents.revokeJoinToken(id, this.o.clock.now()))) throw notFound('join token')
  }

  /** Adds the host as a machine of the token's data center and hands back its credential. */
  async register(
    joinToken: string,
    inventory: Inventory,
  ): Promise<{ machineId: string; credential: string }> {
    const now = this.o.clock.now()
    const token = await this.o.store.agents.joinTokenByHash(hashApiKey(joinToken))
    if (!token || token.revoked_at !== null) throw unauthorized('invalid join token')
    if (token.expires_at !== null && token.expires_at <= now) throw unauthorized('join token expired')
    const catalog = this.o.catalog()
    const gpu = inventory.gpus[0]
    if (inventory.gpus.length > 1)
      throw badRequest('gpus: one GPU model per machine; run one agent per model or declare one')
    const machine = await this.o.fleet.addMachine({
      dataCenterId: token.data_center_id,
      secureCloud: token.secure_cloud === 1,
      ...(gpu
        ? { gpuTypeId: gpuTypeOf(catalog, gpu.name), gpuCount: gpu.count }
        : { cpuFlavorId: CPU_HOST_FLAVOR }),
      vcpuCount: inventory.vcpuCount,
      memoryInGb: inventory.memoryInGb,
      diskInGb: inventory.diskInGb,
      ...(inventory.cudaVersion !== null && { cudaVersion: inventory.cudaVersion }),
      supportPublicIp: inventory.publicIp !== null,
      ...(inventory.publicIp !== null && { publicIp: inventory.publicIp }),
      note: `agent on ${inventory.hostname}`,
      driver: 'agent',
    })
    const credential = secret('pmc')
    await this.o.store.agents.insertAgent({
      machine_id: machine.id,
      credential_hash: hashApiKey(credential),
      join_token_id: token.id,
      hostname: inventory.hostname,
      runtime_name: inventory.runtime.name,
      runtime_version: inventory.runtime.version,
      agent_version: inventory.agentVersion,
      registered_at: now,
      last_heartbeat_at: now,
      runtime_error: null,
    })
    return { machineId: machine.id, credential }
  }

  /** The machine a credential belongs to; 401 for unknown credentials and removed machines. */
  async authenticate(credential: string): Promise<string> {
    const machineId = await this.o.store.agents.machineOfCredential(hashApiKey(credential))
    if (!machineId) throw unauthorized('invalid machine credential')
    return machineId
  }

  /** A restarted agent's fresh look at its host: what runs containers, where pods answer. */
  async updateInventory(machineId: string, inventory: Inventory): Promise<void> {
    await this.o.store.agents.update(machineId, {
      hostname: inventory.hostname,
      runtime_name: inventory.runtime.name,
      runtime_version: inventory.runtime.version,
      agent_version: inventory.agentVersion,
    })
    await this.o.store.machines.update(machineId, {
      public_ip: inventory.publicIp,
      support_public_ip: inventory.publicIp === null ? 0 : 1,
      ...(inventory.cudaVersion !== null && { cuda_version: inventory.cudaVersion }),
    })
    await this.heartbeat(machineId, null)
  }

  /** Records that the agent is alive; a machine that was down only for silence comes back. */
  async heartbeat(machineId: string, runtimeError: string | null) {
    await this.o.store.agents.update(machineId, {
      last_heartbeat_at: this.o.clock.now(),
      runtime_error: runtimeError,
    })
    const machine = await this.o.store.machines.get(machineId)
    if (machine?.failed_at !== null && machine?.failure_note === HEARTBEAT_MISSED)
      await this.o.fleet.recover(machineId)
    return { machineId, intervalMs: HEARTBEAT_INTERVAL_MS, timeoutMs: this.o.heartbeatTimeoutMs }
  }

  /**
   * Background work: machines whose agent has been silent for the timeout go down (their pods
   * stop with the reason, nothing new lands there) until heartbeats resume. Returns their ids.
   */
  async markSilentMachinesDown(): Promise<string[]> {
    const silent = await this.o.store.agents.silentSince(this.o.clock.now() - this.o.heartbeatTimeoutMs)
    for (const agent of silent) await this.o.fleet.fail(agent.machine_id, HEARTBEAT_MISSED)
    return silent.map((a) => a.machine_id)
  }

  async desiredState(machineId: string): Promise<DesiredState> {
    const [revision, pods] = await Promise.all([
      this.o.store.agents.revision(machineId),
      this.o.store.agents.podsOn(machineId),
    ])
    const logTimes = await this.o.store.agents.lastLogTimes(pods.map((p) => p.id))
    return { revision, pods: pods.map((p) => desiredPod(p, logTimes.get(p.id) ?? null)) }
  }

  revision(machineId: string): Promise<string> {
    return this.o.store.agents.revision(machineId)
  }

  /** The clear registry credential of one of the machine's pods, for pulling its image now. */
  async registryCredential(machineId: string, podId: string): Promise<RegistryCredential> {
    const pod = await this.podOn(machineId, podId)
    if (pod.containerRegistryAuthId === null) throw notFound('container registry auth')
    const auth = await this.o.registryAuths.get(pod.userId, pod.containerRegistryAuthId)
    return {
      username: auth.username,
      password: await this.o.registryAuths.password(pod.userId, pod.containerRegistryAuthId),
    }
  }

  /**
   * What the runtime did with a pod's container. Only the pod's current boot counts: a report
   * about an older one (a restart happened meanwhile) changes nothing.
   */
  async report(machineId: string, podId: string, report: PodReport): Promise<void> {
    await this.podOn(machineId, podId)
    await this.o.pods.writeAnyUser(podId, async (pod, now, tx) => {
      if (pod.machineId !== machineId || bootIdOf(pod) !== report.bootId || !holdsCompute(pod.status))
        return undefined
      switch (report.state) {
        case 'starting':
          return undefined
        case 'running':
          if (pod.status === 'RUNNING') return undefined
          return commitPod(tx, pod, { ...pod, status: 'RUNNING', readyAt: null }, now)
        case 'exited':
          return stopWithin(tx, pod, now, `Exited with code ${report.exitCode ?? 'unknown'}`, true)
        case 'error': {
          const lastStatusChange = statusChange(`Error: ${report.message ?? 'container failed'}`, now)
          return commitPod(tx, pod, { ...pod, status: 'ERROR', readyAt: null, lastStatusChange }, now)
        }
      }
    })
  }

  async appendLogs(machineId: string, podId: string, lines: readonly Omit<StoredLogLine, 'seq'>[]) {
    await this.podOn(machineId, podId)
    await this.o.store.agents.appendLogs(podId, lines)
  }

  /** One of the machine's live pods; another machine's pod is as missing as an unknown one. */
  private async podOn(machineId: string, podId: string): Promise<Pod> {
    const pod = await this.o.store.pods.getAnyUser(podId)
    if (!pod || pod.machineId !== machineId || pod.status === 'TERMINATED') throw podNotFound()
    return pod
  }
}

/** Every boot stamps `lastStartedAt`, so it names the boot a container belongs to. */
const bootIdOf = (pod: Pod) => String(pod.lastStartedAt ?? pod.createdAt)

function desiredPod(pod: Pod, logsAfter: number | null): DesiredPod {
  return {
    id: pod.id,
    name: pod.name,
    image: pod.image,
    desiredStatus: holdsCompute(pod.status) ? 'RUNNING' : 'EXITED',
    bootId: bootIdOf(pod),
    env: { ...pod.env },
    ports: [...pod.ports],
    portMappings: { ...pod.portMappings },
    dockerEntrypoint: [...pod.dockerEntrypoint],
    dockerStartCmd: [...pod.dockerStartCmd],
    containerDiskInGb: pod.containerDiskInGb,
    volumeInGb: pod.volumeInGb,
    volumeMountPath: pod.volumeMountPath,
    networkVolumeId: pod.networkVolumeId,
    gpuCount: pod.gpuCount,
    vcpuCount: pod.vcpuCount,
    memoryInGb: pod.memoryInGb,
    hasRegistryAuth: pod.containerRegistryAuthId !== null,
    logsAfter,
  }
}
