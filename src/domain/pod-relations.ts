import type { MachineRow } from '../store/machines.js'
import type { Store } from '../store/store.js'
import type { Pod } from './pod.js'
import type { NetworkVolume, SavingsPlan, Template } from './resources.js'

export interface RelationFlags {
  readonly machine?: boolean
  readonly networkVolume?: boolean
  readonly template?: boolean
}

/** What a page of pods refers to, fetched with one query per kind (never one per pod). */
export interface PodRelations {
  readonly machines: ReadonlyMap<string, MachineRow>
  readonly networkVolumes: ReadonlyMap<string, NetworkVolume>
  readonly templates: ReadonlyMap<string, Template>
  /** Unexpired savings plans by pod id; always loaded, since they set `adjustedCostPerHr`. */
  readonly savingsPlans: ReadonlyMap<string, readonly SavingsPlan[]>
}

/** What a pod that was just created has: nothing can refer to it yet. */
export const NO_RELATIONS: PodRelations = Object.freeze({
  machines: new Map(),
  networkVolumes: new Map(),
  templates: new Map(),
  savingsPlans: new Map(),
})

const distinct = (values: Iterable<string | null>): string[] => [
  ...new Set([...values].filter((v): v is string => v !== null)),
]

const byId = <T extends { id: string }>(items: readonly T[]) => new Map(items.map((i) => [i.id, i]))

export async function loadRelations(
  store: Store,
  userId: string,
  pods: readonly Pick<Pod, 'machineId' | 'networkVolumeId' | 'templateId'>[],
  flags: RelationFlags,
  now: number,
): Promise<PodRelations> {
  const [machines, networkVolumes, templates, plans] = await Promise.all([
    flags.machine ? store.machines.byIds(distinct(pods.map((p) => p.machineId))) : [],
    flags.networkVolume
      ? store.networkVolumes.byIds(userId, distinct(pods.map((p) => p.networkVolumeId)))
      : [],
    flags.template ? store.templates.usableByIds(userId, distinct(pods.map((p) => p.templateId))) : [],
    store.savingsPlans.unexpired(userId, now),
  ])
  const savingsPlans = new Map<string, SavingsPlan[]>()
  for (const plan of plans) {
    const list = savingsPlans.get(plan.podId)
    if (list) list.push(plan)
    else savingsPlans.set(plan.podId, [plan])
  }
  return {
    machines: byId(machines),
    networkVolumes: byId(networkVolumes),
    templates: byId(templates),
    savingsPlans,
  }
}
