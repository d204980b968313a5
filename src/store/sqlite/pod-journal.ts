import type SqliteDatabase from 'better-sqlite3'
import type { NewPodRows } from '../pods.js'
import type { WriteGeneration } from './write-generation.js'

/** Statements that read or write what a journal entry has yet to add. */
const AFFECTED = /\b(pods|allocations|usage_intervals)\b/

/**
 * Marks a statement that reads interruptible pods only (`modifyEnd(sql.raw(…))`): it needs the
 * entries written first only if one of them may be an interruptible pod. The preemption search of
 * a create that finds its GPU type full is one; without the mark, the first create to find a type
 * full under a burst of creates wrote out the whole burst's entries (~45 µs each) before answering.
 */
export const READS_INTERRUPTIBLE_PODS_ONLY = '/* interruptible pods only */'

/**
 * Writes entries into the pod tables once no create has been journaled for this long (reads do
 * not wait for it: they write entries first, in this process and in any other sharing the file).
 */
const QUIET_MS = 250
/** …or once this many are waiting, whatever the pace of creates. */
const MAX_PENDING = 8192

/**
 * Write-behind for new pods on SQLite. A create commits its machine claim (a conditional UPDATE,
 * as ever) and ONE journal row instead of a pod row with 16 indexes, an allocation and a usage
 * interval; the journal is written into those tables later, many entries in one transaction,
 * where index pages are shared between entries instead of written once per group commit.
 *
 * Nothing reads around it: before any statement that touches pods, allocations or usage runs on
 * this connection, every journaled entry is written into the tables first (`beforeStatement`),
 * so a read always sees every committed create. Other processes sharing the file do the same:
 * a commit by another connection (`WriteGeneration.elsewhere`) means the journal may hold entries.
 * A crash loses nothing: the journal is committed with the claim, and applied on the next open.
 */
export class PodJournal {
  #active = false
  /** The journal may hold entries (this connection wrote some, or may not have seen all). */
  #dirty = true
  /** The journal may hold an interruptible pod (this connection wrote one, or may not have seen all). */
  #mayHoldInterruptible = true
  /** Commits by other connections seen when the journal was last looked at. */
  #seenElsewhere = -1
  #pending = 0
  #timer: NodeJS.Timeout | undefined
  /** What each statement needs written first: every entry, interruptible pods' only, or none. */
  readonly #needs = new Map<string, 'all' | 'interruptible' | 'none'>()
  readonly #inserts = new Map<string, SqliteDatabase.Statement>()
  #statements:
    | {
        any: SqliteDatabase.Statement
        entries: SqliteDatabase.Statement
        clear: SqliteDatabase.Statement
        lastChange: SqliteDatabase.Statement
      }
    | undefined

  constructor(
    private readonly sqlite: SqliteDatabase.Database,
    private readonly generation: WriteGeneration,
  ) {}

  /** Starts guarding reads, once migrations have created the journal; applies what a crash left. */
  activate(): void {
    const s = this.sqlite
    this.#statements = {
      any: s.prepare('select exists (select 1 from pod_journal)').pluck(),
      entries: s.prepare('select entry from pod_journal order by seq').pluck(),
      clear: s.prepare('delete from pod_journal'),
      lastChange: s.prepare('select coalesce(max(change_seq), 0) from pods').pluck(),
    }
    this.#active = true
    this.#dirty = true
    this.apply()
  }

  /**
   * Called when a create has written an entry (in its transaction): reads look for entries from
   * now on, and they are written into the tables once creates pause.
   */
  appended(interruptible: boolean): void {
    this.#dirty = true
    if (interruptible) this.#mayHoldInterruptible = true
    this.#pending++
    if (this.#pending >= MAX_PENDING) {
      if (this.#timer) clearTimeout(this.#timer)
      this.#timer = setTimeout(() => this.applyWhenFree(), 0)
    } else if (this.#timer) this.#timer.refresh()
    else this.#timer = setTimeout(() => this.applyWhenFree(), QUIET_MS)
    this.#timer.unref()
  }

  /** Runs before every statement on the connection: entries first, for what reads their tables. */
  beforeStatement(sql: string): void {
    if (!this.#active) return
    let needs = this.#needs.get(sql)
    if (needs === undefined) {
      needs = !AFFECTED.test(sql)
        ? 'none'
        : sql.includes(READS_INTERRUPTIBLE_PODS_ONLY)
          ? 'interruptible'
          : 'all'
      if (this.#needs.size < 2000) this.#needs.set(sql, needs)
    }
    if (needs === 'all') this.apply()
    else if (needs === 'interruptible' && this.mayHoldInterruptible()) this.apply()
  }

  private mayHoldInterruptible(): boolean {
    return this.#mayHoldInterruptible || this.generation.elsewhere() !== this.#seenElsewhere
  }

  /** Writes every journaled entry into the pod tables; within the open transaction if there is one. */
  apply(): void {
    const statements = this.#statements
    if (!statements) return
    const elsewhere = this.generation.elsewhere()
    if (elsewhere !== this.#seenElsewhere) {
      this.#seenElsewhere = elsewhere
      this.#dirty = true
    }
    if (!this.#dirty) return
    const inTransaction = this.sqlite.inTransaction
    if (statements.any.get() === 1) {
      // Entries are read under the write lock, so two processes never write the same ones.
      const write = () => {
        const entries = statements.entries.all() as string[]
        let change = statements.lastChange.get() as number
        for (const text of entries) {
          // One journal entry: a new pod's rows (`NewPodRows`) as JSON.
          const rows = JSON.parse(text) as NewPodRows
          // Set, not spread in: a spread object given a new key takes V8's slow path (µs each).
          rows.pod.change_seq = ++change
          this.insert('pods', rows.pod)
          this.insert('allocations', rows.allocation)
          this.insert('usage_intervals', rows.usage)
        }
        statements.clear.run()
      }
      if (inTransaction) write()
      else this.sqlite.transaction(write).immediate()
    }
    // Inside a transaction the writes may yet roll back: look again next time.
    if (!inTransaction) {
      this.#dirty = false
      this.#mayHoldInterruptible = false
      this.#pending = 0
    }
  }

  /** Closing writes what is waiting, so the tables are whole for whoever opens the file next. */
  close(): void {
    if (this.#timer) clearTimeout(this.#timer)
    if (this.#active && !this.sqlite.inTransaction) this.applyQuietly()
  }

  private applyWhenFree(): void {
    this.#timer = undefined
    // A transaction spans turns of the event loop; writing entries into it is its business.
    if (this.sqlite.inTransaction) {
      this.#timer = setTimeout(() => this.applyWhenFree(), QUIET_MS)
      this.#timer.unref()
      return
    }
    this.applyQuietly()
  }

  /**
   * For timers and closing, where nobody waits on the outcome: a failure (another process holding
   * the write lock past the busy timeout) leaves the entries for the next read or the next open.
   */
  private applyQuietly(): void {
    try {
      this.apply()
    } catch {
      this.#dirty = true
    }
  }

  private insert(table: string, row: Readonly<Record<string, unknown>>): void {
    const columns = Object.keys(row)
    const key = `${table}:${columns.join(',')}`
    let statement = this.#inserts.get(key)
    if (!statement) {
      statement = this.sqlite.prepare(
        `insert into ${table} (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
      )
      this.#inserts.set(key, statement)
    }
    statement.run(row)
  }
}
