import type { Pod } from '../domain/pod.js'
import type { PodRuntime } from '../domain/pods.js'

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

/** mulberry32: small, fast, and the same sequence for the same seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
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
