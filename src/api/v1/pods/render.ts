import type { Pod } from '../../../domain/pod.js'
import { loadRelations, type RelationFlags } from '../../../domain/pod-relations.js'
import type { AppContext } from '../../context.js'
import { podView } from './pod-view.js'
import type * as V1 from './schemas.js'

export interface IncludeFlags {
  readonly includeMachine?: boolean
  readonly includeNetworkVolume?: boolean
  readonly includeSavingsPlans?: boolean
  readonly includeTemplate?: boolean
}

/** Renders pods for v1, loading what the include flags ask for with one query per kind. */
export async function renderPods(
  ctx: AppContext,
  userId: string,
  pods: readonly Pod[],
  include: IncludeFlags = {},
): Promise<V1.Pod[]> {
  const now = ctx.clock.now()
  const flags: RelationFlags = {
    machine: include.includeMachine,
    networkVolume: include.includeNetworkVolume,
    template: include.includeTemplate,
  }
  const relations = await loadRelations(ctx.store, userId, pods, flags, now)
  const options = { now, catalog: ctx.catalog(), relations, ...include }
  return pods.map((pod) => podView(pod, options))
}

export async function renderPod(ctx: AppContext, userId: string, pod: Pod, include: IncludeFlags = {}) {
  return (await renderPods(ctx, userId, [pod], include))[0]!
}
