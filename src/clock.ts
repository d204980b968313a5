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
