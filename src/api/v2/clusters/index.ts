import type { App, AppContext } from '../../context.js'
import { IdParams, noContent, problems } from '../common.js'
import { views } from '../pods/index.js'
import { ListPodsResponse } from '../pods/schemas.js'
import { toCreateClusterRequest } from './requests.js'
import { Cluster, CreateClusterBody, ListClustersResponse, UpdateClusterBody } from './schemas.js'
import { v2ClusterView } from './view.js'

const TAGS = ['clusters']

/**
 * Instant Clusters: gangs of identical GPU pods in one data center, placed all or nothing. The
 * members are the user's pods (they bill and act like pods); the cluster adds rank, role and an
 * overlay address to each, and is renamed and deleted here.
 */
export function clusterRoutes(v2: App, ctx: AppContext): void {
  v2.get(
    '/clusters',
    {
      schema: {
        operationId: 'listClusters',
        summary: 'List clusters',
        tags: TAGS,
        response: { 200: ListClustersResponse, ...problems(401, 429) },
      },
    },
    async (request) => {
      const clusters = await ctx.clusters.list(request.auth.userId)
      const now = ctx.clock.now()
      return { clusters: clusters.map((c) => v2ClusterView(c, now)) }
    },
  )

  v2.post(
    '/clusters',
    {
      schema: {
        operationId: 'createCluster',
        summary: 'Create a cluster',
        description:
          'Places `compute.podCount` identical pods in one data center, all or none: when no data center has room for every pod, nothing is created (400).',
        tags: TAGS,
        body: CreateClusterBody,
        response: { 201: Cluster, ...problems(400, 401, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      const { userId } = request.auth
      const state = await ctx.clusters.create(userId, await toCreateClusterRequest(ctx, userId, request.body))
      return reply.code(201).send(v2ClusterView(state, ctx.clock.now()))
    },
  )

  v2.get(
    '/clusters/:id',
    {
      schema: {
        operationId: 'getCluster',
        summary: 'Get a cluster',
        tags: TAGS,
        params: IdParams,
        response: { 200: Cluster, ...problems(401, 404, 429) },
      },
    },
    async (request) => {
      const state = await ctx.clusters.get(request.auth.userId, request.params.id)
      return v2ClusterView(state, ctx.clock.now())
    },
  )

  v2.patch(
    '/clusters/:id',
    {
      schema: {
        operationId: 'updateCluster',
        summary: 'Rename a cluster',
        tags: TAGS,
        params: IdParams,
        body: UpdateClusterBody,
        response: { 200: Cluster, ...problems(400, 401, 404, 422, 429) },
      },
    },
    async (request) => {
      const { userId } = request.auth
      const { id } = request.params
      const { name } = request.body
      const state =
        name === undefined ? await ctx.clusters.get(userId, id) : await ctx.clusters.rename(userId, id, name)
      return v2ClusterView(state, ctx.clock.now())
    },
  )

  v2.delete(
    '/clusters/:id',
    {
      schema: {
        operationId: 'deleteCluster',
        summary: 'Delete a cluster',
        description: 'Terminates every member pod and deletes the cluster.',
        tags: TAGS,
        params: IdParams,
        response: { 204: { type: 'null', description: 'Deleted.' }, ...problems(401, 404, 409, 429) },
      },
    },
    async (request, reply) => {
      await ctx.clusters.delete(request.auth.userId, request.params.id)
      return noContent(reply)
    },
  )

  v2.get(
    '/clusters/:id/pods',
    {
      schema: {
        operationId: 'listClusterPods',
        summary: "List a cluster's pods",
        description: 'The live member pods as full Pod objects, by rank; no pagination.',
        tags: TAGS,
        params: IdParams,
        response: { 200: ListPodsResponse, ...problems(401, 404, 429) },
      },
    },
    async (request) => {
      const { userId } = request.auth
      const { members, pods } = await ctx.clusters.get(userId, request.params.id)
      const live = members.flatMap((m) => {
        const pod = pods.get(m.podId)
        return pod && pod.status !== 'TERMINATED' ? [pod] : []
      })
      return {
        pods: await views(ctx, userId, live),
        pagination: { nextCursor: null, hasNextPage: false },
      }
    },
  )
}
