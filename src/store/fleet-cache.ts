import type { MachineCapacity } from '../scheduler/types.js'
import type { CandidateFilter, MachineRow } from './machines.js'
import { machineRow, toCapacity } from './machines.js'

/** Machines as a dense array the scheduler scans directly, with O(1) replace and remove by id. */
class DenseMachines {
  readonly items: MachineCapacity[] = []
  readonly #at = new Map<string, number>()

  put(machine: MachineCapacity): void {
    const i = this.#at.get(machine.id)
    if (i !== undefined) this.items[i] = machine
    else {
      this.#at.set(machine.id, this.items.length)
      this.items.push(machine)
    }
  }

  delete(id: string): void {
    const i = this.#at.get(id)
    if (i === undefined) return
    // Swap-remove keeps the array dense.
    const last = this.items.pop()!
    this.#at.delete(id)
    if (i < this.items.length) {
      this.items[i] = last
      this.#at.set(last.id, i)
    }
  }
}

/**
 * Machines of one GPU type (or CPU flavor): all of them, and the ones with a GPU (CPU flavor: a
 * vCPU) free — all a new pod can go to, and a fraction of a busy fleet.
 */
interface Group {
  readonly all: DenseMachines
  readonly open: DenseMachines
}

const hasRoom = (m: MachineCapacity) => (m.gpuTypeId !== null ? m.gpuFree > 0 : m.vcpuFree > 0)

interface Entry {
  row: MachineRow
  group: string
}

/**
 * Machines read per query: the first load reads big pages (start-up waits for it), a refresh
 * small ones. The event loop turns between pages, so requests are not held up while a
 * 10k-machine fleet is read (a few hundred ms in one piece; ~10 ms a page of 1,000 on
 * PostgreSQL, where a refresh runs every 5 s under load and each page showed in the p99).
 */
const LOAD_PAGE = 1000
const REFRESH_PAGE = 250

/** How the cache reads machines (not removed) from the database. */
export interface FleetSource {
  /** These machines. */
  byIds(ids: readonly string[]): Promise<MachineRow[]>
  /** Up to `limit` machines in id order, after `afterId`. */
  page(afterId: string, limit: number): Promise<MachineRow[]>
}

/** Rows of the same query compare column by column (every value is a string, number or null). */
function sameRow(a: MachineRow, b: MachineRow): boolean {
  for (const column in a) {
    if (a[column as keyof MachineRow] !== b[column as keyof MachineRow]) return false
  }
  return true
}

const groupOf = (row: MachineRow) =>
  row.gpu_type_id !== null ? `gpu:${row.gpu_type_id}` : `cpu:${row.cpu_flavor_id}`

/**
 * The fleet in memory, grouped by GPU type and CPU flavor, so placing a pod reads no machine rows.
 * The database stays the truth: every claim is still a conditional UPDATE, whose returned row
 * refreshes the entry; a failed claim, a rolled-back transaction or another replica's writes are
 * caught up by reloading the machines concerned, and by a periodic full refresh.
 */
export class FleetCache {
  readonly #entries = new Map<string, Entry>()
  readonly #groups = new Map<string, Group>()
  #loaded: Promise<void> | undefined
  /** The full read under way, and the one asked for meanwhile (callers from then on share it). */
  #refreshing: Promise<void> | undefined
  #nextRefresh: Promise<void> | undefined
  #generation = 0

  constructor(private readonly source: FleetSource) {}

  /** Loads the whole fleet the first time it is needed (and again after `invalidate`). */
  ready(): Promise<void> {
    this.#loaded ??= this.readAll(LOAD_PAGE).catch((error) => {
      this.#loaded = undefined // a failed load is tried again by the next caller
      throw error
    })
    return this.#loaded
  }

  /**
   * Forgets that the cache matches the database: the next `ready()` reads the whole fleet again.
   * For when catching up on some machines failed (the store went away mid-transaction), so a
   * rolled-back claim does not linger as if it were taken.
   */
  invalidate(): void {
    this.#loaded = undefined
  }

  /** Goes up whenever any machine changes; part of what cached machine renderings depend on. */
  get generation(): number {
    return this.#generation
  }

  /**
   * Reads the whole fleet again (other replicas' changes, operator edits); only real changes count.
   * One read at a time: asked while one runs, the next begins when it ends, once for every caller
   * meanwhile. Page by page: what this process writes meanwhile reaches the cache as ever, and a
   * page is applied as soon as it is read, so it never undoes a later write.
   */
  refresh(): Promise<void> {
    if (!this.#loaded) return this.ready()
    if (!this.#refreshing) return this.readAgain()
    // One read is under way, begun before this call: whoever asks meanwhile shares the next one.
    this.#nextRefresh ??= this.#refreshing.then(
      () => this.readAgain(),
      () => this.readAgain(),
    )
    return this.#nextRefresh
  }

  private readAgain(): Promise<void> {
    this.#nextRefresh = undefined
    const reading = (async () => {
      await this.#loaded
      await this.readAll(REFRESH_PAGE)
    })()
    this.#refreshing = reading
    const over = () => {
      if (this.#refreshing === reading) this.#refreshing = undefined
    }
    reading.then(over, over)
    return reading
  }

  /** While this runs, `#loaded` is set (pending on the first load), so pages apply. */
  private async readAll(pageSize: number): Promise<void> {
    const unseen = new Set(this.#entries.keys())
    for (let after = ''; ; ) {
      const rows = await this.source.page(after, pageSize)
      for (const row of rows) {
        unseen.delete(row.id)
        const current = this.#entries.get(row.id)?.row
        if (!current || !sameRow(current, row)) this.apply(row)
      }
      if (rows.length < pageSize) break
      after = rows[rows.length - 1]!.id
      await new Promise((resolve) => setImmediate(resolve))
    }
    for (const id of unseen) this.remove(id)
  }

  /** Reads these machines again; ones that are gone (or removed) leave the cache. */
  async reload(ids: Iterable<string>): Promise<void> {
    const wanted = [...new Set(ids)]
    if (wanted.length === 0 || !this.#loaded) return
    const rows = await this.source.byIds(wanted)
    const found = new Set(rows.map((r) => r.id))
    for (const row of rows) this.apply(row)
    for (const id of wanted) if (!found.has(id)) this.remove(id)
  }

  /** Takes a machine's row as read from the database. */
  apply(read: MachineRow): void {
    this.put(machineRow(read))
  }

  /**
   * Takes the columns a write changed into the machine's cached row (they are as the database has
   * them after it); false if the cache does not hold the machine.
   */
  update(id: string, changes: Partial<MachineRow>): boolean {
    const entry = this.#entries.get(id)
    if (!entry) return false
    this.put({ ...entry.row, ...changes })
    return true
  }

  /** `row` is the cache's own: built in one piece (`machineRow`), never a driver's. */
  private put(row: MachineRow): void {
    if (!this.#loaded) return
    if (row.removed_at !== null) {
      this.remove(row.id)
      return
    }
    this.#generation++
    const key = groupOf(row)
    const entry = this.#entries.get(row.id)
    if (entry?.group === key) entry.row = row
    else {
      if (entry) this.remove(row.id) // its GPU type or CPU flavor changed: it moves group
      this.#entries.set(row.id, { row, group: key })
    }
    let group = this.#groups.get(key)
    if (!group) {
      group = { all: new DenseMachines(), open: new DenseMachines() }
      this.#groups.set(key, group)
    }
    const capacity = toCapacity(row)
    group.all.put(capacity)
    if (hasRoom(capacity)) group.open.put(capacity)
    else group.open.delete(row.id)
  }

  remove(id: string): void {
    const entry = this.#entries.get(id)
    if (!entry) return
    this.#generation++
    this.#entries.delete(id)
    const group = this.#groups.get(entry.group)!
    group.all.delete(id)
    group.open.delete(id)
  }

  row(id: string): MachineRow | undefined {
    return this.#entries.get(id)?.row
  }

  /**
   * The machines of the requested GPU types or CPU flavors that have room for anything at all. The
   * scheduler applies every other rule (place, room, state) itself.
   */
  async candidates(
    filter: Pick<CandidateFilter, 'gpuTypeIds' | 'cpuFlavorIds'>,
  ): Promise<readonly MachineCapacity[]> {
    return this.select(filter, 'open')
  }

  /** Every machine of the requested GPU types or CPU flavors, full or not (catalog views, stock). */
  async machines(
    filter: Pick<CandidateFilter, 'gpuTypeIds' | 'cpuFlavorIds'>,
  ): Promise<readonly MachineCapacity[]> {
    return this.select(filter, 'all')
  }

  private async select(
    filter: Pick<CandidateFilter, 'gpuTypeIds' | 'cpuFlavorIds'>,
    which: 'open' | 'all',
  ): Promise<readonly MachineCapacity[]> {
    await this.ready()
    const keys = filter.gpuTypeIds
      ? filter.gpuTypeIds.map((id) => `gpu:${id}`)
      : (filter.cpuFlavorIds ?? []).map((id) => `cpu:${id}`)
    const groups = [...new Set(keys)].map((key) => this.#groups.get(key)?.[which].items ?? [])
    return groups.length === 1 ? groups[0]! : groups.flat()
  }

  /** Every machine's capacity (the placement benchmark runs the scheduler over all of them). */
  all(): MachineCapacity[] {
    return [...this.#groups.values()].flatMap((g) => g.all.items)
  }
}
