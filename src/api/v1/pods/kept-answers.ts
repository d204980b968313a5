/** A rendered answer and what it must still match to be served again. */
export interface KeptAnswer {
  readonly body: Buffer
}

/**
 * Rendered answers by key, bounded by count and by total bytes: past either bound the entries
 * least recently stored go first. Storing under a key already held replaces that entry (its bytes
 * leave the total with it).
 */
export class KeptAnswers<T extends KeptAnswer> {
  readonly #entries = new Map<string, T>()
  #bytes = 0

  constructor(
    private readonly maxEntries: number,
    private readonly maxBytes: number,
  ) {}

  get size(): number {
    return this.#entries.size
  }

  get bytes(): number {
    return this.#bytes
  }

  get(key: string): T | undefined {
    return this.#entries.get(key)
  }

  set(key: string, entry: T): void {
    this.delete(key)
    this.#entries.set(key, entry)
    this.#bytes += entry.body.length
    for (const [old, value] of this.#entries) {
      if (this.#entries.size <= this.maxEntries && this.#bytes <= this.maxBytes) break
      this.#entries.delete(old)
      this.#bytes -= value.body.length
    }
  }

  delete(key: string): void {
    const old = this.#entries.get(key)
    if (old === undefined) return
    this.#entries.delete(key)
    this.#bytes -= old.body.length
  }
}
