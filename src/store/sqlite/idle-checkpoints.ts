import type SqliteDatabase from 'better-sqlite3'

/** A checkpoint runs once no write has come for this long… */
const QUIET_MS = 250
/** …or, under unbroken load, at least this often. */
const AT_LEAST_EVERY_MS = 5000

/**
 * WAL checkpoints (copying the log back into the database file, with an fsync) moved out of the
 * commits that happen to cross SQLite's 1,000-page threshold and into quiet moments. With
 * automatic checkpoints a burst of writes paid for them in the middle of requests; a PASSIVE
 * checkpoint here never waits for readers or writers.
 */
export class IdleCheckpoints {
  #timer: NodeJS.Timeout | undefined
  #last = Date.now()
  #closed = false

  constructor(private readonly sqlite: SqliteDatabase.Database) {
    sqlite.pragma('wal_autocheckpoint = 0')
  }

  /** Called on every writing statement: pushes the checkpoint back until writes pause. */
  written(): void {
    if (this.#closed) return
    if (Date.now() - this.#last >= AT_LEAST_EVERY_MS) this.run()
    if (this.#timer) this.#timer.refresh()
    else {
      this.#timer = setTimeout(() => this.run(), QUIET_MS)
      this.#timer.unref()
    }
  }

  close(): void {
    this.#closed = true
    if (this.#timer) clearTimeout(this.#timer)
  }

  private run(): void {
    this.#last = Date.now()
    // Inside an open transaction (one that spans turns of the event loop) it waits for the next turn.
    if (this.sqlite.inTransaction || !this.sqlite.open) return
    try {
      this.sqlite.pragma('wal_checkpoint(PASSIVE)')
    } catch {
      // Nothing waits on a checkpoint; the next quiet moment tries again.
    }
  }
}
