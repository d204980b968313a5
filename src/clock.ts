/** Source of time for everything that must be steerable in tests and the simulator. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number
}

export const systemClock: Clock = Object.freeze({ now: () => Date.now() })

/**
 * A clock that moves only when told.
 * @example const clock = new ManualClock(Date.parse('2026-01-01')); clock.advance(5_000)
 */
export class ManualClock implements Clock {
  #now: number

  constructor(start = Date.parse('2026-01-01T00:00:00.000Z')) {
    this.#now = start
  }

  now(): number {
    return this.#now
  }

  advance(ms: number): void {
    this.#now += ms
  }

  set(ms: number): void {
    this.#now = ms
  }
}

/**
 * Simulated time running `speed` times faster than real time from the moment it is created
 * (60 = a simulated minute per real second).
 */
export class ScaledClock implements Clock {
  readonly #realStart = Date.now()

  constructor(readonly speed: number) {}

  now(): number {
    return this.#realStart + Math.round((Date.now() - this.#realStart) * this.speed)
  }
}

/** The clock `PODPLANE_SIM_SPEED` asks for: real time (1), scaled time, or a manual clock (0). */
export function clockForSpeed(speed: number): Clock {
  if (speed === 1) return systemClock
  if (speed === 0) return new ManualClock(Date.now())
  return new ScaledClock(speed)
}
