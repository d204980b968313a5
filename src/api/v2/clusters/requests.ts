import type { CreateClusterRequest } from '../../../domain/clusters.js'
import { badRequest } from '../../../domain/errors.js'
import type { AppContext } from '../../context.js'
import { toCreateRequest } from '../pods/requests.js'
import type { CreateClusterBody } from './schemas.js'

/**
 * Translates v2's cluster create body into the domain's request. The container settings, mounts,
 * data centers and start flags follow the pod create's rules (they apply to every member), so
 * they go through the same translation; the compute shape is checked here, naming its fields.
 */
export async function toCreateClusterRequest(
  ctx: AppContext,
  userId: string,
  body: CreateClusterBody,
): Promise<CreateClusterRequest> {
  const { compute } = body
  if (!ctx.catalog().gpuTypes.has(compute.gpuTypeId))
    throw badRequest(`compute.gpuTypeId: unknown GPU type "${compute.gpuTypeId}"`)
  // A member is one machine's share: no more GPUs than the type's largest secure machine has.
  await ctx.store.fleet.ready()
  const largest = ctx.store.fleet
    .all()
    .reduce(
      (max, m) => (m.secureCloud && m.gpuTypeId === compute.gpuTypeId ? Math.max(max, m.gpuCount) : max),
      0,
    )
  if (largest > 0 && compute.gpuCountPerPod > largest)
    throw badRequest(
      `compute.gpuCountPerPod: at most ${largest} GPUs of type "${compute.gpuTypeId}" per pod (GpuType.maxCount)`,
    )
  if (body.image === undefined) throw badRequest('image: required (clusters take no template)')
  const { name, type, compute: _compute, ...container } = body
  const {
    name: _name,
    computeType: _computeType,
    gpuTypeIds: _gpuTypeIds,
    gpuCount: _gpuCount,
    ...pod
  } = await toCreateRequest(ctx, userId, {
    ...container,
    name,
    cloud: 'SECURE',
    gpu: { id: compute.gpuTypeId, count: compute.gpuCountPerPod },
  })
  return {
    name,
    type,
    gpuTypeId: compute.gpuTypeId,
    gpuCountPerPod: compute.gpuCountPerPod,
    podCount: compute.podCount,
    pod,
  }
}
