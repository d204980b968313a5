import { CompiledQuery, type Kysely } from 'kysely'
import { answeredByServer } from './errors.js'
import { runAloneIfUnbegun } from './postgres/lazy-transactions.js'
import type { Database } from './schema.js'

type OpenTransaction = Awaited<ReturnType<ReturnType<Kysely<Database>['startTransaction']>['execute']>>

/** Rolls back, ignoring failure: the transaction is given up either way (a lost connection ends it). */
async function rollBack(trx: OpenTransaction): Promise<void> {
  await trx
    .rollback()
    .execute()
    .catch(() => undefined)
}

/**
 * Work that the writes of one batch leave to its end, done once for all of them, in at most one
 * statement: atomic by itself, it may then be the batch's only statement, sent without a
 * transaction.
 */
export interface BatchEnd {
  finish(trx: Kysely<Database>): Promise<void>
}

/**
 * Thrown when an attempt judged by memory the database no longer agrees with (the fleet cache
 * behind another replica's writes): the batch runs once more as it is, after the memory of what
 * the attempt touched is read again (`WriteBatcher`'s `catchUp`), before falling back to
 * savepoints.
 */
export class StaleAttempt extends Error {}

/**
 * One run of a batch's writes. A write may leave work to the end of its attempt (`endWith`): on
 * PostgreSQL the new pods of every write of the batch and their machine claims then go as one
 * statement instead of several per write, which saves round trips. That work runs before COMMIT
 * (or, when the batch sent nothing else, as the batch's only statement); when writes run one by
 * one in savepoints (after a failure), after each write, in its savepoint.
 */
export class BatchAttempt {
  #end: BatchEnd | undefined
  /** Machines whose in-memory state this attempt changed or found wrong (read again if it fails). */
  readonly touched = new Set<string>()

  /**
   * @param writes how many writes run in this attempt. Claims the database may refuse are left to
   * the end only when several share it: a write run alone (in its savepoint, after its batch
   * failed) checks its claims as it makes them, so a refused one tries another machine.
   */
  constructor(private readonly writes: number) {}

  /** True when several writes run in this attempt. */
  get shared(): boolean {
    return this.writes > 1
  }

  /**
   * True when this attempt has an end: on PostgreSQL every attempt's repositories make one as they
   * are built (whether or not a write leaves work to it), on SQLite none does.
   */
  get hasEnd(): boolean {
    return this.#end !== undefined
  }

  /** This attempt's one end, made by the first write that asks for it. */
  endWith<T extends BatchEnd>(make: () => T): T {
    this.#end ??= make()
    return this.#end as T
  }

  async finish(trx: Kysely<Database>): Promise<void> {
    await this.#end?.finish(trx)
  }
}

type AttemptOutcome =
  | { committed: true; values: unknown[] }
  | { committed: false; failed: 'batch' | 'write'; error: unknown; touched: ReadonlySet<string> }

interface Work<R> {
  readonly run: (trx: Kysely<Database>, attempt: BatchAttempt) => Promise<R>
  readonly resolve: (value: R) => void
  readonly reject: (error: unknown) => void
}

/** Savepoint statements by position in a batch, built once (valid SQL on SQLite and PostgreSQL). */
const savepoints: { open: CompiledQuery; release: CompiledQuery; rollback: CompiledQuery }[] = []
function savepoint(index: number) {
  savepoints[index] ??= {
    open: CompiledQuery.raw(`savepoint w${index}`),
    release: CompiledQuery.raw(`release savepoint w${index}`),
    rollback: CompiledQuery.raw(`rollback to savepoint w${index}`),
  }
  return savepoints[index]
}

/**
 * Group commit: writes submitted in the same turn of the event loop run in one transaction, so a
 * commit (and, on PostgreSQL, its WAL flush) is paid once per batch instead of once per write.
 *
 * Each write lands whole or not at all. A batch first runs as it is, without savepoints (on
 * PostgreSQL each is a round trip, two per write); should any write throw, that attempt is rolled
 * back and the batch runs again with each write inside its own savepoint, so only the failing one
 * fails. An attempt that failed because memory was behind the database (`StaleAttempt`) first
 * runs once more as it is, memory caught up. Writes therefore may run more than once, and must
 * only touch the database through `trx` (the store's `batched` catches the fleet cache up after a
 * second run). A failed BEGIN or COMMIT is never retried: a commit whose answer was lost may have
 * landed. Nor is a batch whose one statement went alone (PostgreSQL, when the writes left all their
 * work to its end) and got no answer.
 */
export class WriteBatcher {
  #queue: Work<unknown>[] = []
  #scheduled = false
  #running: Promise<void> = Promise.resolve()

  constructor(
    private readonly db: Kysely<Database>,
    /** Reads these machines into memory again; run between the attempts of a stale batch. */
    private readonly catchUp: (machineIds: Iterable<string>) => Promise<void> = async () => {},
    private readonly maxBatch = 64,
  ) {}

  /** Runs `run` in the next batch; settles once the batch has committed (or failed). */
  submit<R>(run: (trx: Kysely<Database>, attempt: BatchAttempt) => Promise<R>): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ run, resolve, reject } as Work<unknown>)
      if (!this.#scheduled) {
        this.#scheduled = true
        setImmediate(() => {
          this.#running = this.#running.then(() => this.flush())
        })
      }
    })
  }

  private async flush(): Promise<void> {
    this.#scheduled = false
    const batch = this.#queue.splice(0, this.maxBatch)
    if (this.#queue.length > 0) {
      this.#scheduled = true
      setImmediate(() => {
        this.#running = this.#running.then(() => this.flush())
      })
    }
    if (batch.length === 0) return
    let outcome = await this.withoutSavepoints(batch)
    if (!outcome.committed && outcome.error instanceof StaleAttempt) {
      // Memory was behind the database: once more as it is, memory caught up, before savepoints.
      await this.catchUp(outcome.touched)
      outcome = await this.withoutSavepoints(batch)
    }
    if (outcome.committed) {
      for (const [index, work] of batch.entries()) work.resolve(outcome.values[index])
      return
    }
    // A lone write's failure is its own; a batch that could not begin or commit fails as a whole.
    if (outcome.failed === 'batch' || batch.length === 1) {
      for (const work of batch) work.reject(outcome.error)
      return
    }
    await this.withSavepoints(batch)
  }

  /** The batch in one transaction, no savepoints; a write that throws rolls the whole attempt back. */
  private async withoutSavepoints(batch: readonly Work<unknown>[]): Promise<AttemptOutcome> {
    const attempt = new BatchAttempt(batch.length)
    const { touched } = attempt
    let trx: OpenTransaction
    try {
      trx = await this.db.startTransaction().execute()
    } catch (error) {
      return { committed: false, failed: 'batch', error, touched }
    }
    const values: unknown[] = []
    try {
      for (const work of batch) values.push(await work.run(trx, attempt))
      // Only PostgreSQL's batches have an end, and only they can have sent nothing yet.
      if (attempt.hasEnd && (await runAloneIfUnbegun(trx))) {
        // The writes sent nothing (PostgreSQL's transactions begin at their first statement) and
        // left all their work to one statement: atomic by itself, it needs no BEGIN or COMMIT.
        return await this.alone(trx, attempt, values)
      }
      await attempt.finish(trx)
    } catch (error) {
      await rollBack(trx)
      return { committed: false, failed: 'write', error, touched }
    }
    try {
      await trx.commit().execute()
    } catch (error) {
      await rollBack(trx)
      return { committed: false, failed: 'batch', error, touched }
    }
    return { committed: true, values }
  }

  /** The batch's closing statement on its own, in no transaction (`runAloneIfUnbegun`). */
  private async alone(
    trx: OpenTransaction,
    attempt: BatchAttempt,
    values: unknown[],
  ): Promise<AttemptOutcome> {
    try {
      await attempt.finish(trx)
      return { committed: true, values }
    } catch (error) {
      // An error the server answered undid the statement, which may then run again; without an
      // answer (a lost connection) it may have landed, like a COMMIT whose answer was lost.
      const undone = answeredByServer(error) || error instanceof StaleAttempt
      return { committed: false, failed: undone ? 'write' : 'batch', error, touched: attempt.touched }
    } finally {
      // Sends nothing: gives the connection back.
      await rollBack(trx)
    }
  }

  /** The batch again, each write in its own savepoint, so one failing rolls back only itself. */
  private async withSavepoints(batch: readonly Work<unknown>[]): Promise<void> {
    const outcomes: { failed: boolean; index: number; value?: unknown; error?: unknown }[] = []
    let trx: OpenTransaction | undefined
    try {
      trx = await this.db.startTransaction().execute()
      for (const [index, work] of batch.entries()) {
        const point = savepoint(index)
        await trx.executeQuery(point.open)
        try {
          const attempt = new BatchAttempt(1)
          const value = await work.run(trx, attempt)
          await attempt.finish(trx)
          outcomes.push({ failed: false, index, value })
          await trx.executeQuery(point.release)
        } catch (error) {
          await trx.executeQuery(point.rollback)
          await trx.executeQuery(point.release)
          outcomes.push({ failed: true, index, error })
        }
      }
      await trx.commit().execute()
    } catch (error) {
      // The batch as a whole failed (connection lost, commit refused): every work fails with it.
      if (trx) await rollBack(trx)
      for (const [index] of batch.entries()) outcomes[index] = { failed: true, index, error }
    }
    for (const [index, work] of batch.entries()) {
      const outcome = outcomes[index]!
      if (outcome.failed) work.reject(outcome.error)
      else work.resolve(outcome.value)
    }
  }
}
