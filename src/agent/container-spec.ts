import { join } from 'node:path'
import type Docker from 'dockerode'
import { type DesiredPod, LABELS } from './protocol.js'

const GiB = 1024 ** 3

/** Where this machine keeps things on the host, and how its GPUs are handed to containers. */
export interface HostLayout {
  machineId: string
  /** Absolute; pod volumes live in `pods/<podId>/volume`. */
  dataDir: string
  /**
   * Absolute; network volume `<id>` is `<networkVolumeDir>/<id>`. Where the data center's shared
   * storage is mounted on every host, so a volume's files follow its pods from machine to machine.
   * Default `<dataDir>/network-volumes` (a single-host data center).
   */
  networkVolumeDir?: string
  /** True when the host has real NVIDIA devices; false for a declared (`--gpus`) inventory. */
  nvidia: boolean
}

/** `podplane-<podId>-<bootId>`, in the characters a container name may hold. */
export function containerName(pod: DesiredPod): string {
  return `podplane-${pod.id}-${pod.bootId}`.replace(/[^a-zA-Z0-9_.-]/g, '-')
}

export function podVolumeDir(dataDir: string, podId: string): string {
  return join(dataDir, 'pods', safeSegment(podId))
}

/**
 * The host directory mounted at the pod's `volumeMountPath`, or null for none: the network volume
 * when the pod has one (RunPod mounts it in place of the volume disk), else the pod's own volume.
 */
export function volumeSource(
  pod: DesiredPod,
  dataDir: string,
  networkVolumeDir = join(dataDir, 'network-volumes'),
): string | null {
  if (!pod.volumeMountPath) return null
  if (pod.networkVolumeId) return join(networkVolumeDir, safeSegment(pod.networkVolumeId))
  if (pod.volumeInGb > 0) return join(podVolumeDir(dataDir, pod.id), 'volume')
  return null
}

/** The create request for one boot of a pod, given the host GPU indices picked for it. */
export function containerSpec(
  pod: DesiredPod,
  host: HostLayout,
  gpuIndices: readonly number[],
): Docker.ContainerCreateOptions {
  const env: Record<string, string> = {
    ...pod.env,
    ...gpuEnv(host.nvidia, gpuIndices),
    RUNPOD_POD_ID: pod.id,
    PODPLANE_POD_ID: pod.id,
  }
  const ports = Object.entries(pod.portMappings).map(([port, hostPort]) => ({
    key: port.includes('/') ? port : `${port}/tcp`,
    hostPort,
  }))
  const volume = volumeSource(pod, host.dataDir, host.networkVolumeDir)
  return {
    name: containerName(pod),
    Image: pod.image,
    Env: Object.entries(env).map(([key, value]) => `${key}=${value}`),
    ...(pod.dockerEntrypoint.length > 0 ? { Entrypoint: pod.dockerEntrypoint } : {}),
    ...(pod.dockerStartCmd.length > 0 ? { Cmd: pod.dockerStartCmd } : {}),
    Labels: {
      [LABELS.pod]: pod.id,
      [LABELS.boot]: pod.bootId,
      [LABELS.machine]: host.machineId,
      [LABELS.gpus]: gpuIndices.join(','),
    },
    ExposedPorts: Object.fromEntries(ports.map((p) => [p.key, {}])),
    HostConfig: {
      PortBindings: Object.fromEntries(ports.map((p) => [p.key, [{ HostPort: String(p.hostPort) }]])),
      ...(pod.memoryInGb > 0 ? { Memory: pod.memoryInGb * GiB } : {}),
      ...(pod.vcpuCount > 0 ? { NanoCpus: pod.vcpuCount * 1e9 } : {}),
      ...(volume ? { Binds: [`${volume}:${pod.volumeMountPath}`] } : {}),
      ...(host.nvidia && gpuIndices.length > 0
        ? {
            DeviceRequests: [
              { Driver: 'nvidia', DeviceIDs: gpuIndices.map(String), Capabilities: [['gpu']] },
            ],
          }
        : {}),
    },
  }
}

function gpuEnv(nvidia: boolean, gpuIndices: readonly number[]): Record<string, string> {
  const devices = gpuIndices.join(',')
  if (nvidia)
    // CUDA images set NVIDIA_VISIBLE_DEVICES=all, which a host whose default runtime is NVIDIA's
    // honours: a pod without GPUs would see every one. The device request sets it for the others.
    return gpuIndices.length === 0 ? { NVIDIA_VISIBLE_DEVICES: 'void' } : {}
  return gpuIndices.length === 0 ? {} : { NVIDIA_VISIBLE_DEVICES: devices, CUDA_VISIBLE_DEVICES: devices }
}

/** Ids come from the control plane; never let one climb out of the data dir. */
function safeSegment(id: string): string {
  return id.replace(/[^a-zA-Z0-9_.-]/g, '_').replace(/^\.+/, '_')
}
