import { createHash } from 'node:crypto'
import type { ClusterMember } from '../../../domain/cluster.js'
import type { Pod as DomainPod } from '../../../domain/pod.js'
import { allowedActions, holdsCompute, statusAt } from '../../../domain/pod-lifecycle.js'
import { adjustedCostPerHr } from '../../../domain/pricing.js'
import type { SavingsPlan } from '../../../domain/resources.js'
import { joinWords } from '../../../domain/shell-words.js'
import type { MachineRow } from '../../../store/machines.js'
import { iso, isoOrNull } from '../common.js'
import { type Pod, V2_POD_ACTIONS, type V2PodAction } from './schemas.js'

/** Where RunPod's SSH proxy answers; podplane names it the same so clients parse it alike. */
const SSH_PROXY_HOST = 'ssh.runpod.io'

export interface V2ViewOptions {
  readonly now: number
  /** The pod's machine (for its CUDA version), if known. */
  readonly machine: MachineRow | undefined
  readonly savingsPlans: readonly SavingsPlan[]
  /** The pod's place in a cluster, if it is a member of one. */
  readonly cluster?: ClusterMember
}

/** Stable small numbers derived from an id, for values the simulator makes up (IPs, metrics). */
function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest()
}

function mountsOf(pod: DomainPod): Pod['mounts'] {
  if (pod.networkVolumeId !== null)
    return { network: [{ volumeId: pod.networkVolumeId, path: pod.volumeMountPath }] }
  if (pod.volumeInGb > 0) return { persistent: { size: pod.volumeInGb, path: pod.volumeMountPath } }
  return {}
}

function portsOf(pod: DomainPod): NonNullable<Pod['runtime']>['ports'] {
  return pod.ports.map((spec) => {
    const [number, type = 'tcp'] = spec.split('/')
    // tcp ports get a public host port on the machine's IP; http goes through the proxy.
    const hostPort = type === 'tcp' ? pod.portMappings[number!] : undefined
    return {
      private: Number(number),
      public: hostPort ?? null,
      type,
      ip: hostPort === undefined ? null : pod.publicIp,
    }
  })
}

/**
 * Live metrics of a running pod. The simulator has no real load to measure, so they are steady
 * values drawn from the pod's id and the current minute: believable, and the same on every read
 * within a minute.
 */
function runtimeOf(pod: DomainPod, now: number): NonNullable<Pod['runtime']> {
  const d = digest(`${pod.id}:${Math.floor(now / 60_000)}`)
  const percent = (i: number, floor: number) => floor + (d[i]! % (101 - floor))
  const since = pod.readyAt ?? pod.lastStartedAt ?? pod.createdAt
  return {
    uptime: Math.max(0, Math.floor((now - since) / 1000)),
    gpus: Array.from({ length: pod.gpuCount }, (_, i) => ({
      util: percent(2 * i, 40),
      memoryUtil: percent(2 * i + 1, 20),
    })),
    cpu: { util: percent(30, 5) },
    memory: { util: percent(31, 10) },
    ports: portsOf(pod),
  }
}

function sshOf(pod: DomainPod, running: boolean): Pod['ssh'] {
  const user = `${pod.id}-${digest(pod.machineId).toString('hex').slice(0, 8)}`
  const directPort = running && pod.publicIp !== null ? pod.portMappings['22'] : undefined
  return {
    proxy: { host: SSH_PROXY_HOST, port: 22, username: user, command: `ssh ${user}@${SSH_PROXY_HOST}` },
    direct:
      directPort === undefined || !pod.ports.includes('22/tcp')
        ? null
        : {
            host: pod.publicIp!,
            port: directPort,
            username: 'root',
            command: `ssh root@${pod.publicIp} -p ${directPort}`,
          },
  }
}

function globalNetworkingOf(pod: DomainPod): Pod['globalNetworking'] {
  if (!pod.globalNetworking) return { enabled: false }
  const d = digest(`global:${pod.id}`)
  return { enabled: true, ip: `10.65.${d[0]}.${1 + (d[1]! % 254)}`, internalDns: `${pod.id}.runpod.internal` }
}

const V2_ACTIONS = new Set<string>(V2_POD_ACTIONS)

/** A pod as RunPod's v2 API shows it: `status` and the `actions` it allows, live runtime when RUNNING. */
export function v2PodView(pod: DomainPod, o: V2ViewOptions): Pod {
  const status = statusAt(pod, o.now)
  const running = status === 'RUNNING'
  return {
    id: pod.id,
    name: pod.name,
    status,
    actions: allowedActions(status).filter((a): a is V2PodAction => V2_ACTIONS.has(a)),
    image: pod.image,
    args: joinWords(pod.dockerStartCmd),
    disk: pod.containerDiskInGb,
    mounts: mountsOf(pod),
    ports: [...pod.ports],
    env: { ...pod.env },
    registry: pod.containerRegistryAuthId,
    gpu: pod.computeType === 'GPU' ? { id: pod.gpuTypeId ?? '', count: pod.gpuCount } : undefined,
    cpu:
      pod.computeType === 'CPU'
        ? { id: pod.cpuFlavorId ?? '', vcpuCount: pod.vcpuCount, memory: pod.memoryInGb }
        : undefined,
    cloud: pod.cloudType,
    dataCenterId: pod.dataCenterId,
    cudaVersion: pod.computeType === 'GPU' ? (o.machine?.cuda_version ?? null) : null,
    ssh: sshOf(pod, running),
    cluster: o.cluster && {
      id: o.cluster.clusterId,
      rank: o.cluster.rank,
      ...(o.cluster.role === null ? {} : { role: o.cluster.role }),
      ip: o.cluster.ip,
    },
    template: pod.templateId,
    cost: holdsCompute(status) ? adjustedCostPerHr(pod.costPerHr, o.savingsPlans, o.now) : 0,
    locked: pod.locked,
    globalNetworking: globalNetworkingOf(pod),
    runtime: running ? runtimeOf(pod, o.now) : null,
    createdAt: iso(pod.createdAt),
    startedAt: isoOrNull(pod.lastStartedAt),
  }
}
