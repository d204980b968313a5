import type { Pod } from './pod.js'
import { joinWords } from './shell-words.js'

export type LogSource = 'container' | 'system'

export interface LogLine {
  readonly ts: number
  readonly source: LogSource
  readonly line: string
}

/** A stretch of time the pod held compute (from its usage record). */
export interface PodRun {
  readonly startedAt: number
  readonly endedAt: number | null
}

/** How long the simulator shows a past boot taking, when only its start is on record. */
const PAST_BOOT_MS = 1000

/**
 * The simulated log history of a pod up to `now`: host (system) lines for each placement, start,
 * restart and stop, and the container's own start-up output once it is up. Derived from the
 * pod's running intervals and its latest boot, so nothing is stored per line; the only boot
 * inside a run that is on record is the latest one (a restart), earlier restarts leave no trace.
 */
export function podLogLines(
  pod: Pod,
  runs: readonly PodRun[],
  cudaVersion: string | null,
  now: number,
): LogLine[] {
  const lines: LogLine[] = []
  const add = (ts: number, source: LogSource, ...texts: string[]) => {
    if (ts <= now) for (const line of texts) lines.push({ ts, source, line })
  }
  runs.forEach((run, i) => {
    const end = run.endedAt ?? now
    const open = run.endedAt === null
    if (i === 0) {
      add(
        run.startedAt,
        'system',
        `Pod ${pod.id} scheduled on machine ${pod.machineId} in ${pod.dataCenterId}`,
      )
      add(run.startedAt, 'system', `Pulling image ${pod.image}`)
    } else {
      add(run.startedAt, 'system', `Starting pod ${pod.id} on machine ${pod.machineId}`)
    }
    const restartedAt =
      open && pod.lastStartedAt !== null && pod.lastStartedAt > run.startedAt ? pod.lastStartedAt : null
    const firstReady = open && restartedAt === null ? pod.readyAt : run.startedAt + PAST_BOOT_MS
    if (firstReady !== null && firstReady <= (restartedAt ?? end)) containerStarted(firstReady, i === 0)
    if (restartedAt !== null) {
      add(restartedAt, 'system', 'Restarting container')
      if (pod.readyAt !== null) containerStarted(pod.readyAt, false)
    }
    if (!open) add(end, 'system', 'Stopping container', `Container for pod ${pod.id} stopped`)
  })
  return lines

  function containerStarted(at: number, firstBoot: boolean) {
    if (firstBoot) add(at, 'system', `Image ${pod.image} pulled`)
    add(at, 'system', `Container for pod ${pod.id} started`)
    if (pod.computeType === 'GPU') {
      add(
        at,
        'container',
        '==========',
        '== CUDA ==',
        '==========',
        `CUDA Version ${cudaVersion ?? 'unknown'}`,
        '',
      )
    }
    if (pod.env.PUBLIC_KEY !== undefined && pod.ports.includes('22/tcp')) {
      add(
        at,
        'container',
        'Starting SSH service...',
        ' * Starting OpenBSD Secure Shell server sshd',
        'SSH service started',
      )
    }
    if (pod.env.JUPYTER_PASSWORD !== undefined) {
      add(at, 'container', 'Starting Jupyter Lab...', 'Jupyter Lab is running at http://0.0.0.0:8888/lab')
    }
    if (pod.dockerStartCmd.length > 0) add(at, 'container', `$ ${joinWords(pod.dockerStartCmd)}`)
    add(at, 'container', 'Container is ready')
  }
}
