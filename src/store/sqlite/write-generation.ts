import type SqliteDatabase from 'better-sqlite3'

/**
 * A number that moves whenever data in the SQLite file may have changed: on every writing
 * statement run on this connection (BEGIN, COMMIT and ROLLBACK among them) and whenever another
 * connection committed (`PRAGMA data_version`). Two equal readings mean nothing was written in
 * between, so an answer cached under a reading is never stale while the reading holds.
 *
 * The pod journal's own writes are not counted: they move committed creates into their tables
 * and change nothing a reader sees (the create that journaled them was counted).
 *
 * A second number (`owners`) moves only for writes to what an API key's owner is read from (API
 * keys and users), for rollbacks and for other connections' commits, so owners found by key stay
 * kept while creates and other writes go on.
 */
export class WriteGeneration {
  #generation = 0
  #owners = 0
  #elsewhere = 0
  #dataVersion = -1
  readonly #dataVersionQuery: SqliteDatabase.Statement
  #inTurn: Promise<number> | undefined

  constructor(sqlite: SqliteDatabase.Database) {
    this.#dataVersionQuery = sqlite.prepare('pragma data_version').pluck()
  }

  /** A writing statement is about to run on this connection (`ownersToo`: on keys or users). */
  written(ownersToo: boolean): void {
    this.#generation++
    if (ownersToo) this.#owners++
  }

  current(): number {
    this.check()
    return this.#generation
  }

  /**
   * `current()`, read once for everyone who asks in the same turn of the event loop, after the
   * last of them asked: at `setImmediate`, once the turn's input has been read. Each asker's
   * reading still comes after its request arrived, so it reflects every commit made before then,
   * as a reading of its own would. `PRAGMA data_version` takes three system calls (a lock, its
   * release, a stat) and was a tenth of the CPU of serving a kept list; requests arriving together
   * now share one.
   */
  currentInTurn(): Promise<number> {
    this.#inTurn ??= new Promise((resolve) =>
      setImmediate(() => {
        this.#inTurn = undefined
        resolve(this.current())
      }),
    )
    return this.#inTurn
  }

  /**
   * Moves when API keys or users may have changed: written here, or any commit by another
   * connection. As of the last reading (`current`, `currentInTurn`, `elsewhere`), plus every write
   * made here since; it reads nothing itself.
   */
  owners(): number {
    return this.#owners
  }

  /** Moves only when another connection committed: what this process cannot have seen itself. */
  elsewhere(): number {
    this.check()
    return this.#elsewhere
  }

  private check(): void {
    const version = this.#dataVersionQuery.get() as number
    if (version !== this.#dataVersion) {
      this.#dataVersion = version
      this.#generation++
      this.#owners++
      this.#elsewhere++
    }
  }
}
