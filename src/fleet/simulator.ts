import type { Pod } from '../domain/pod.js'

/** How long a simulated pod takes from placement (or restart) to a running container. */
export function simulatedBootDelay(
  bootMs: number,
): (pod: Pick<Pod, 'containerDiskInGb' | 'image'>) => number {
  return () => bootMs
}
