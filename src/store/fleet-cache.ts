import type { MachineCapacity } from '../scheduler/types.js'
import type { CandidateFilter, MachineRow } from './machines.js'
import { toCapacity } from './machines.js'

/** Machines of one GPU type (or CPU flavor), as a dense array the scheduler scans directly. */
interface Group {
  readonly capacities: MachineCapacity[]
  readonly ids: string[]
}

interface Entry {
  row: MachineRow
  group: string
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
  #generation = 0

  constructor(private readonly load: (ids?: readonly string[]) => Promise<MachineRow[]>) {}

  /** Loads the whole fleet the first time it is needed (and again after `invalidate`). */
  ready(): Promise<void> {
    this.#loaded ??= this.refresh().catch((error) => {
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

  /** Reads the whole fleet again (other replicas' changes, operator edits); only real changes count. */
  async refresh(): Promise<void> {
    const rows = await this.load()
    this.#loaded = Promise.resolve()
    const seen = new Set<string>()
    for (const row of rows) {
      seen.add(row.id)
      const current = this.#entries.get(row.id)?.row
      if (!current || JSON.stringify(current) !== JSON.stringify(row)) this.apply(row)
    }
    for (const id of [...this.#entries.keys()]) if (!seen.has(id)) this.remove(id)
  }

  /** Reads these machines again; ones that are gone (or removed) leave the cache. */
  async reload(ids: Iterable<string>): Promise<void> {
    const wanted = [...new Set(ids)]
    if (wanted.length === 0 || !this.#loaded) return
    const rows = await this.load(wanted)
    const found = new Set(rows.map((r) => r.id))
    for (const row of rows) this.apply(row)
    for (const id of wanted) if (!found.has(id)) this.remove(id)
  }

  apply(row: MachineRow): void {
    if (!this.#loaded) return
    if (row.removed_at !== null) {
      this.remove(row.id)
      return
    }
    this.#generation++
    const key = groupOf(row)
    const entry = this.#entries.get(row.id)
    if (entry && entry.group === key) {
      entry.row = row
      const group = this.#groups.get(key)!
      group.capacities[group.ids.indexOf(row.id)] = toCapacity(row)
      return
    }
    if (entry) this.remove(row.id)
    this.#entries.set(row.id, { row, group: key })
    const group = this.#groups.get(key) ?? { capacities: [], ids: [] }
    this.#groups.set(key, group)
    group.capacities.push(toCapacity(row))
    group.ids.push(row.id)
  }

  remove(id: string): void {
    const entry = this.#entries.get(id)
    if (!entry) return
    this.#generation++
    this.#entries.delete(id)
    const group = this.#groups.get(entry.group)!
    const i = group.ids.indexOf(id)
    // Swap-remove keeps the arrays dense.
    group.ids[i] = group.ids[group.ids.length - 1]!
    group.capacities[i] = group.capacities[group.capacities.length - 1]!
    group.ids.pop()
    group.capacities.pop()
  }

  row(id: string): MachineRow | undefined {
    return this.#entries.get(id)?.row
  }

  /**
   * The machines of the requested GPU types or CPU flavors. The scheduler applies every other rule
   * (place, room, state) itself, so this hands over the groups as they are.
   */
  async candidates(
    filter: Pick<CandidateFilter, 'gpuTypeIds' | 'cpuFlavorIds'>,
  ): Promise<readonly MachineCapacity[]> {
    await this.ready()
    const keys = filter.gpuTypeIds
      ? filter.gpuTypeIds.map((id) => `gpu:${id}`)
      : (filter.cpuFlavorIds ?? []).map((id) => `cpu:${id}`)
    const groups = [...new Set(keys)].map((key) => this.#groups.get(key)?.capacities ?? [])
    return groups.length === 1 ? groups[0]! : groups.flat()
  }

  /** Every machine's capacity (the placement benchmark runs the scheduler over all of them). */
  all(): MachineCapacity[] {
    return [...this.#groups.values()].flatMap((g) => g.capacities)
  }
}
