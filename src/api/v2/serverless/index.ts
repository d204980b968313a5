import Type from 'typebox'
import type { Endpoint as DomainEndpoint } from '../../../domain/resources.js'
import type { App, AppContext } from '../../context.js'
import { IdParams, noContent, problems } from '../common.js'
import { toCreateInput, toUpdateInput } from './input.js'
import {
  CreateEndpointBody,
  Endpoint,
  ListEndpointReleasesResponse,
  ListEndpointsResponse,
  ListEndpointWorkersResponse,
  UpdateEndpointBody,
} from './schemas.js'
import { endpointView, releasesView, workersView } from './view.js'

const tags = ['serverless']

/** Endpoints in v2's shape, with their templates read in one query. */
async function render(
  ctx: AppContext,
  userId: string,
  endpoints: readonly DomainEndpoint[],
): Promise<Endpoint[]> {
  const ids = [...new Set(endpoints.map((e) => e.templateId))]
  const templates = new Map((await ctx.store.templates.usableByIds(userId, ids)).map((t) => [t.id, t]))
  const catalog = ctx.catalog()
  return endpoints.map((e) => endpointView(e, templates.get(e.templateId), catalog))
}

async function workersOf(ctx: AppContext, endpoint: DomainEndpoint) {
  return (await ctx.endpoints.workers(endpoint.userId, [endpoint.id])).get(endpoint.id) ?? []
}

/** RunPod's v2 serverless endpoints: the same endpoints as /v1/endpoints, in v2's shape. */
export function serverlessRoutes(v2: App, ctx: AppContext): void {
  v2.get(
    '/serverless',
    {
      schema: {
        operationId: 'listEndpoints',
        summary: 'List serverless endpoints',
        tags,
        response: { 200: ListEndpointsResponse },
      },
    },
    async (request) => {
      const { userId } = request.auth
      return { endpoints: await render(ctx, userId, await ctx.endpoints.list(userId)) }
    },
  )

  v2.post(
    '/serverless',
    {
      schema: {
        operationId: 'createEndpoint',
        summary: 'Create a serverless endpoint',
        tags,
        body: CreateEndpointBody,
        response: { 201: Endpoint, ...problems(400, 404, 422) },
      },
    },
    async (request, reply) => {
      const { userId } = request.auth
      const endpoint = await ctx.endpoints.create(userId, await toCreateInput(ctx, userId, request.body))
      return reply.code(201).send((await render(ctx, userId, [endpoint]))[0]!)
    },
  )

  v2.get(
    '/serverless/:id',
    {
      schema: {
        operationId: 'getEndpoint',
        summary: 'Get a serverless endpoint',
        tags,
        params: IdParams,
        response: { 200: Endpoint, ...problems(404, 422) },
      },
    },
    async (request) => {
      const { userId } = request.auth
      return (await render(ctx, userId, [await ctx.endpoints.get(userId, request.params.id)]))[0]!
    },
  )

  v2.patch(
    '/serverless/:id',
    {
      schema: {
        operationId: 'updateEndpoint',
        summary: 'Update a serverless endpoint',
        description:
          'Only the fields sent change. Container and compute changes start a new release that ' +
          'replaces the workers; worker bounds, scaling and timeout apply at once.',
        tags,
        params: IdParams,
        body: UpdateEndpointBody,
        response: { 200: Endpoint, ...problems(400, 404, 422) },
      },
    },
    async (request) => {
      const { userId } = request.auth
      const current = await ctx.endpoints.get(userId, request.params.id)
      const input = await toUpdateInput(ctx, userId, current, request.body)
      const endpoint = await ctx.endpoints.update(userId, current.id, input)
      return (await render(ctx, userId, [endpoint]))[0]!
    },
  )

  v2.delete(
    '/serverless/:id',
    {
      schema: {
        operationId: 'deleteEndpoint',
        summary: 'Delete a serverless endpoint',
        description: 'Terminates its workers and deletes the endpoint with the template made for it.',
        tags,
        params: IdParams,
        response: { 204: Type.Null(), ...problems(404, 422) },
      },
    },
    async (request, reply) => {
      await ctx.endpoints.delete(request.auth.userId, request.params.id)
      return noContent(reply)
    },
  )

  v2.get(
    '/serverless/:id/workers',
    {
      schema: {
        operationId: 'listEndpointWorkers',
        summary: 'List serverless endpoint workers',
        tags,
        params: IdParams,
        response: { 200: ListEndpointWorkersResponse, ...problems(404, 422) },
      },
    },
    async (request) => {
      const endpoint = await ctx.endpoints.get(request.auth.userId, request.params.id)
      return workersView(endpoint, await workersOf(ctx, endpoint), ctx.clock.now())
    },
  )

  v2.get(
    '/serverless/:id/releases',
    {
      schema: {
        operationId: 'listEndpointReleases',
        summary: 'List serverless endpoint releases',
        tags,
        params: IdParams,
        response: { 200: ListEndpointReleasesResponse, ...problems(404, 422) },
      },
    },
    async (request) => {
      const endpoint = await ctx.endpoints.get(request.auth.userId, request.params.id)
      const releases = await ctx.endpoints.releases(endpoint)
      return releasesView(endpoint, releases, await workersOf(ctx, endpoint), ctx.clock.now())
    },
  )
}
