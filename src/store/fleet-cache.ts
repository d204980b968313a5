import type { MachineCapacity } from '../scheduler/types.js'
import type { CandidateFilter, MachineRow } from './machines.js'
import { toCapacity } from './machines.js'

/** A machine as the cache holds it: the row, and what the scheduler reads of it. */
interface Entry {
  row: MachineRow
  capacity: MachineCapacity
  /** The row as text, to tell a real change from a re-read of the same data. */
  text: string
}

const groupOf = (row: MachineRow) =>
  row.gpu_type_id !== null ? `gpu:${row.gpu_type_id}` : `cpu:${row.cpu_flavor_id}`

/**
 * The fleet in memory, indexed by GPU type and CPU flavor, so placing a pod reads no machine rows.
 * The database stays the truth: every claim is still a conditional UPDATE, whose returned row
 * refreshes the entry; a failed claim, a rolled-back transaction or another replica's writes are
 * caught up by reloading the machines concerned, and by a periodic full refresh.
 */
export class FleetCache {
  readonly #entries = new Map<string, Entry>()
  readonly #groups = new Map<string, Map<string, Entry>>()
  #loaded: Promise<void> | undefined
  #generation = 0

  constructor(private readonly load: (ids?: readonly string[]) => Promise<MachineRow[]>) {}

  /** Loads the whole fleet the first time it is needed. */
  ready(): Promise<void> {
    this.#loaded ??= this.refresh()
    return this.#loaded
  }

  /** Reads the whole fleet again (other replicas' changes, operator edits). */
  async refresh(): Promise<void> {
    const rows = await this.load()
    const first = !this.#loaded
    this.#loaded = Promise.resolve()
    const seen = new Set<string>()
    for (const row of rows) {
      seen.add(row.id)
      this.apply(row)
    }
    for (const id of [...this.#entries.keys()]) if (!seen.has(id)) this.remove(id)
    if (first) this.#generation++
  }

  /** Goes up whenever any machine changes; part of what cached machine renderings depend on. */
  get generation(): number {
    return this.#generation
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
    const text = JSON.stringify(row)
    if (this.#entries.get(row.id)?.text === text) return
    this.remove(row.id)
    if (row.removed_at !== null) return
    this.#generation++
    const entry = { row, capacity: toCapacity(row), text }
    this.#entries.set(row.id, entry)
    const key = groupOf(row)
    const group = this.#groups.get(key) ?? new Map<string, Entry>()
    this.#groups.set(key, group)
    group.set(row.id, entry)
  }

  remove(id: string): void {
    const entry = this.#entries.get(id)
    if (!entry) return
    this.#generation++
    this.#entries.delete(id)
    this.#groups.get(groupOf(entry.row))?.delete(id)
  }

  row(id: string): MachineRow | undefined {
    return this.#entries.get(id)?.row
  }

  /** Machines of the requested types, in the data centers, with at least this much free. */
  async candidates(filter: CandidateFilter): Promise<MachineCapacity[]> {
    await this.ready()
    const keys = filter.gpuTypeIds
      ? filter.gpuTypeIds.map((id) => `gpu:${id}`)
      : filter.cpuFlavorIds
        ? filter.cpuFlavorIds.map((id) => `cpu:${id}`)
        : []
    const dataCenters = new Set(filter.dataCenterIds)
    const found: MachineCapacity[] = []
    for (const key of new Set(keys)) {
      for (const { capacity: m } of this.#groups.get(key)?.values() ?? []) {
        if (m.cordoned || m.failed || !dataCenters.has(m.dataCenterId)) continue
        if (m.gpuFree < filter.minGpuFree || m.vcpuFree < filter.minVcpuFree) continue
        found.push(m)
      }
    }
    return found
  }

  /** Every machine's capacity (the placement benchmark runs the scheduler over all of them). */
  all(): MachineCapacity[] {
    return [...this.#entries.values()].map((e) => e.capacity)
  }
}
