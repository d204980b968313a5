import { ApiError } from '../../../domain/errors.js'
import type { Pod as DomainPod } from '../../../domain/pod.js'
import { loadRelations } from '../../../domain/pod-relations.js'
import type { App, AppContext } from '../../context.js'
import { IdParams, noContent, problems } from '../common.js'
import { decodeCursor, encodeCursor } from './cursor.js'
import { podLogRoutes } from './logs.js'
import { toCreateRequest, toUpdate } from './requests.js'
import {
  CreatePodBody,
  ListPodsQuery,
  ListPodsResponse,
  Pod,
  PodActionBody,
  UpdatePodBody,
} from './schemas.js'
import { v2PodView } from './view.js'

const TAGS = ['pods']

/** Pods in v2's shape, with what the view needs fetched once for all of them. */
export async function views(ctx: AppContext, userId: string, pods: readonly DomainPod[]): Promise<Pod[]> {
  const now = ctx.clock.now()
  await ctx.store.fleet.ready()
  const [{ savingsPlans }, clusters] = await Promise.all([
    loadRelations(ctx.store, userId, pods, {}, now),
    ctx.clusters.membershipsOf(userId, pods),
  ])
  return pods.map((pod) =>
    v2PodView(pod, {
      now,
      machine: ctx.store.fleet.row(pod.machineId),
      savingsPlans: savingsPlans.get(pod.id) ?? [],
      cluster: clusters.get(pod.id),
    }),
  )
}

/**
 * Cluster members are changed and deleted through their cluster (RunPod's v2 rule): a PATCH,
 * DELETE or terminate on one is a 409. start, stop and restart still work on a single member.
 */
async function assertStandalone(ctx: AppContext, userId: string, podId: string): Promise<DomainPod> {
  const pod = await ctx.pods.get(userId, podId)
  const member = (await ctx.clusters.membershipsOf(userId, [pod])).get(pod.id)
  if (member)
    throw new ApiError(
      409,
      `pod ${pod.id} belongs to cluster ${member.clusterId}; change or delete it through /v2/clusters/${member.clusterId}`,
      'conflict',
    )
  return pod
}

const view = async (ctx: AppContext, userId: string, pod: DomainPod) => (await views(ctx, userId, [pod]))[0]!

export function podRoutes(v2: App, ctx: AppContext): void {
  v2.get(
    '/pods',
    {
      schema: {
        operationId: 'listPods',
        summary: 'List pods',
        description:
          'Your pods, newest first, a page at a time: pass `pagination.nextCursor` back as `cursor`.',
        tags: TAGS,
        querystring: ListPodsQuery,
        response: { 200: ListPodsResponse, ...problems(401, 422, 429) },
      },
    },
    async (request) => {
      const { userId } = request.auth
      const { limit, cursor, includeClusterPods } = request.query
      // A cursor belongs to the user and the filters it was issued for; `limit` may change.
      const scope = `${userId}\u0000pods\u0000clusters=${includeClusterPods}`
      const after = cursor === undefined ? undefined : decodeCursor(ctx.tokenKey, scope, cursor)
      const page = await ctx.pods.page(userId, {
        after,
        limit: limit + 1,
        excludeClusterPods: !includeClusterPods,
      })
      const hasNextPage = page.length > limit
      const pods = hasNextPage ? page.slice(0, limit) : page
      const last = pods.at(-1)
      return {
        pods: await views(ctx, userId, pods),
        pagination: {
          nextCursor: hasNextPage && last ? encodeCursor(ctx.tokenKey, scope, last) : null,
          hasNextPage,
        },
      }
    },
  )

  v2.post(
    '/pods',
    {
      schema: {
        operationId: 'createPod',
        summary: 'Create a pod',
        tags: TAGS,
        body: CreatePodBody,
        response: { 201: Pod, ...problems(400, 401, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      const { userId } = request.auth
      const pod = await ctx.pods.create(userId, await toCreateRequest(ctx, userId, request.body))
      return reply.code(201).send(await view(ctx, userId, pod))
    },
  )

  v2.get(
    '/pods/:id',
    {
      schema: {
        operationId: 'getPod',
        summary: 'Get a pod',
        tags: TAGS,
        params: IdParams,
        response: { 200: Pod, ...problems(401, 404, 429) },
      },
    },
    async (request) => {
      const { userId } = request.auth
      return view(ctx, userId, await ctx.pods.get(userId, request.params.id))
    },
  )

  v2.patch(
    '/pods/:id',
    {
      schema: {
        operationId: 'updatePod',
        summary: 'Update a pod',
        tags: TAGS,
        params: IdParams,
        body: UpdatePodBody,
        response: { 200: Pod, ...problems(400, 401, 404, 409, 422, 429) },
      },
    },
    async (request) => {
      const { userId } = request.auth
      const current = await assertStandalone(ctx, userId, request.params.id)
      const update = await toUpdate(ctx, userId, current, request.body)
      return view(ctx, userId, await ctx.pods.update(userId, current.id, update))
    },
  )

  v2.delete(
    '/pods/:id',
    {
      schema: {
        operationId: 'deletePod',
        summary: 'Terminate a pod',
        tags: TAGS,
        params: IdParams,
        response: { 204: { type: 'null', description: 'Deleted.' }, ...problems(401, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      await assertStandalone(ctx, request.auth.userId, request.params.id)
      await ctx.pods.act(request.auth.userId, request.params.id, 'terminate')
      return noContent(reply)
    },
  )

  v2.post(
    '/pods/:id/action',
    {
      schema: {
        operationId: 'podAction',
        summary: 'Trigger a pod state transition',
        description:
          '`start`, `stop` and `restart` answer 200 with the pod; `terminate` answers 204. An action the pod’s status does not allow is a 409.',
        tags: TAGS,
        params: IdParams,
        body: PodActionBody,
        response: {
          200: Pod,
          204: { type: 'null', description: 'Terminated.' },
          ...problems(400, 401, 404, 409, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const { userId } = request.auth
      const { action } = request.body
      if (action === 'terminate') await assertStandalone(ctx, userId, request.params.id)
      const pod = await ctx.pods.act(userId, request.params.id, action)
      if (action === 'terminate') return noContent(reply)
      return view(ctx, userId, pod)
    },
  )

  podLogRoutes(v2, ctx)
}
