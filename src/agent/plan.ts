import type { DesiredPod, PodReport } from './protocol.js'
import type { PodContainer } from './runtime.js'

/** One thing to do to make a pod's containers match what the control plane wants. */
export type PodStep =
  /** Containers of another boot, or of a pod no longer on this machine. */
  | { kind: 'remove'; containers: PodContainer[] }
  /** The pod left the machine: delete its volume and forget it. */
  | { kind: 'purge' }
  /** Pull if needed, create and start this boot's container. */
  | { kind: 'create' }
  /** This boot's container exists but never started (the agent stopped half-way). */
  | { kind: 'start'; container: PodContainer }
  | { kind: 'stop'; container: PodContainer }
  | { kind: 'report-running'; container: PodContainer }
  | { kind: 'report-exit'; container: PodContainer }

/** What the agent remembers of a pod across reconciles (lost on restart, which is fine). */
export interface PodMemory {
  /** The last report the control plane accepted for the pod. */
  lastReport: PodReport | undefined
  /** True when this boot already failed: it is not retried; restarting the pod makes a new boot. */
  bootFailed: boolean
}

/**
 * The steps for one pod, from what is wanted (undefined: the pod is not on this machine anymore),
 * its containers on this machine, and what was already done. Pure.
 */
export function planPod(
  pod: DesiredPod | undefined,
  containers: PodContainer[],
  memory: PodMemory,
): PodStep[] {
  if (!pod)
    return [...(containers.length > 0 ? [{ kind: 'remove' as const, containers }] : []), { kind: 'purge' }]

  if (pod.desiredStatus === 'EXITED')
    return containers.filter((c) => c.state === 'running').map((container) => ({ kind: 'stop', container }))

  const steps: PodStep[] = []
  const older = containers.filter((c) => c.bootId !== pod.bootId)
  if (older.length > 0) steps.push({ kind: 'remove', containers: older })
  const current = containers.find((c) => c.bootId === pod.bootId)
  const reported = memory.lastReport?.bootId === pod.bootId ? memory.lastReport.state : undefined
  if (!current) {
    if (!memory.bootFailed) steps.push({ kind: 'create' })
  } else if (current.state === 'created') {
    if (!memory.bootFailed) steps.push({ kind: 'start', container: current })
  } else if (current.state === 'running') {
    if (reported !== 'running' && reported !== 'exited')
      steps.push({ kind: 'report-running', container: current })
  } else if (reported !== 'exited') {
    steps.push({ kind: 'report-exit', container: current })
  }
  return steps
}
