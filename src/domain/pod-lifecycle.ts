import { invalidTransition, podLocked } from './errors.js'
import type { PodStatus } from './pod.js'

export type PodAction = 'start' | 'stop' | 'restart' | 'reset' | 'terminate'
export type DesiredStatus = 'RUNNING' | 'EXITED' | 'TERMINATED'

/**
 * The state machine: which actions each status allows. PROVISIONING and STARTING are
 * "booting": the container is not up yet, so only stop and terminate make sense.
 */
const ACTIONS: Readonly<Record<PodStatus, readonly PodAction[]>> = Object.freeze({
  PROVISIONING: ['stop', 'terminate'],
  STARTING: ['stop', 'terminate'],
  RUNNING: ['stop', 'restart', 'reset', 'terminate'],
  EXITED: ['start', 'terminate'],
  ERROR: ['stop', 'restart', 'reset', 'terminate'],
  TERMINATED: [],
})

/** Locking a pod disables stopping or resetting it (RunPod's rule). */
const REFUSED_WHEN_LOCKED: readonly PodAction[] = ['stop', 'reset']

/** What a pod is at `now`: a booting pod whose boot time has passed is RUNNING. */
export function statusAt(pod: { status: PodStatus; readyAt: number | null }, now: number): PodStatus {
  if (
    (pod.status === 'PROVISIONING' || pod.status === 'STARTING') &&
    pod.readyAt !== null &&
    now >= pod.readyAt
  ) {
    return 'RUNNING'
  }
  return pod.status
}

export function allowedActions(status: PodStatus): readonly PodAction[] {
  return ACTIONS[status]
}

/** Throws the API error that explains why `action` is refused, if it is. */
export function assertActionAllowed(status: PodStatus, locked: boolean, action: PodAction): void {
  if (!ACTIONS[status].includes(action)) throw invalidTransition(action, status)
  if (locked && REFUSED_WHEN_LOCKED.includes(action)) throw podLocked(action)
}

/** v1's view: what the user asked the pod to be. A failed container counts as exited. */
export function desiredStatusOf(status: PodStatus): DesiredStatus {
  switch (status) {
    case 'PROVISIONING':
    case 'STARTING':
    case 'RUNNING':
      return 'RUNNING'
    case 'EXITED':
    case 'ERROR':
      return 'EXITED'
    case 'TERMINATED':
      return 'TERMINATED'
  }
}

const STATUSES_BY_DESIRED: Readonly<Record<DesiredStatus, readonly PodStatus[]>> = Object.freeze({
  RUNNING: ['PROVISIONING', 'STARTING', 'RUNNING'],
  EXITED: ['EXITED', 'ERROR'],
  TERMINATED: ['TERMINATED'],
})

export function statusesFor(desired: DesiredStatus): readonly PodStatus[] {
  return STATUSES_BY_DESIRED[desired]
}

/** Statuses in which a pod holds GPUs, vCPUs and memory on its machine. */
export function holdsCompute(status: PodStatus): boolean {
  return status !== 'EXITED' && status !== 'TERMINATED'
}
