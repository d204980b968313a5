import type { V1 } from '../../src/client/index.js'
import { PodplaneError } from '../../src/client/index.js'

/** An error as the console shows it: the server's own message (RunPod's), with its request id. */
export function errorMessage(error: unknown): string {
  if (error instanceof PodplaneError) {
    const details = error.errors?.length ? ` (${error.errors.join('; ')})` : ''
    return `${error.message}${details}`
  }
  return error instanceof Error ? error.message : String(error)
}

export const usd = (value: number, digits = 3) => `$${value.toFixed(digits)}`

/**
 * What a v1 pod is doing, in the lifecycle's words: v1 only says `desiredStatus`, and a running
 * pod's `publicIp` appears once its container is up, so RUNNING without it is still STARTING.
 */
export function podPhase(pod: V1.Pod): 'STARTING' | 'RUNNING' | 'EXITED' | 'TERMINATED' {
  if (pod.desiredStatus === 'RUNNING') return pod.publicIp ? 'RUNNING' : 'STARTING'
  return pod.desiredStatus
}

export const PHASE_COLORS: Record<string, string> = {
  PROVISIONING: 'yellow',
  STARTING: 'yellow',
  RUNNING: 'green',
  EXITED: 'gray',
  ERROR: 'red',
  TERMINATED: 'dark',
}

/** Hours between `since` and `now` (0 when unknown). */
export function hoursSince(since: string | undefined | null, now = Date.now()): number {
  if (!since) return 0
  const start = Date.parse(since)
  return Number.isNaN(start) ? 0 : Math.max(0, (now - start) / 3_600_000)
}

/** `22/tcp` → the public `ip:port` it maps to, when the pod is running. */
export function publicAddress(pod: V1.Pod, port: string): string | null {
  const [privatePort] = port.split('/')
  const mapped = privatePort ? pod.portMappings?.[privatePort] : undefined
  return pod.publicIp && mapped !== undefined ? `${pod.publicIp}:${mapped}` : null
}
