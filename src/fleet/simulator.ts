import type { Pod } from '../domain/pod.js'
import type { PodRuntime } from '../domain/pods.js'
import { seededRandom } from './seeded-random.js'

export interface SimulatorSettings {
  /** Container start time, on every boot. */
  readonly bootMs: number
  /** Image pull time per GB of container disk, on a pod's first boot (later boots find it cached). */
  readonly pullMsPerGb: number
  /** Share of creates that fail as RunPod's sometimes do, from 0 to 1. */
  readonly failureRate: number
  /** Seed of the failure draws, so a run's failures can be replayed. */
  readonly seed: number
}

/** The simulated container runtime: boots take time, and creates can be made to fail. */
export class SimulatedRuntime implements PodRuntime {
  readonly #random: () => number

  constructor(private readonly settings: SimulatorSettings) {
    this.#random = seededRandom(settings.seed)
  }

  bootDelayMs(pod: Pick<Pod, 'containerDiskInGb'>, firstBoot: boolean): number {
    return this.settings.bootMs + (firstBoot ? pod.containerDiskInGb * this.settings.pullMsPerGb : 0)
  }

  failsCreate(): boolean {
    return this.settings.failureRate > 0 && this.#random() < this.settings.failureRate
  }
}
