import Type from 'typebox'
import { notFound } from '../../../domain/errors.js'
import type { Endpoint as DomainEndpoint } from '../../../domain/resources.js'
import type { App, AppContext } from '../../context.js'
import { IdParams, noContent, problems } from '../common.js'
import { LogsQuery, streamPodLogs } from '../pods/logs.js'
import { toCreateInput, toUpdateInput } from './input.js'
import {
  CreateEndpointBody,
  Endpoint,
  ListEndpointReleasesResponse,
  ListEndpointsResponse,
  ListEndpointWorkersResponse,
  UpdateEndpointBody,
  WorkerParams,
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
      // Derived from the endpoint as it is when the change applies, so concurrent PATCHes compose.
      const endpoint = await ctx.endpoints.update(userId, request.params.id, (current) =>
        toUpdateInput(ctx, userId, current, request.body),
      )
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

  v2.get(
    '/serverless/:id/workers/:workerId/logs',
    {
      schema: {
        operationId: 'getWorkerLogs',
        summary: 'Stream serverless worker logs',
        description:
          'Server-Sent Events, as for pod logs: each event has an `id` (its time and place) and a JSON `data` of `{ts, source, line}`. Reconnect with `Last-Event-ID` to resume.',
        tags,
        params: WorkerParams,
        querystring: LogsQuery,
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 64 })) }),
        response: {
          200: {
            description: 'Worker log event stream',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...problems(401, 404, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const { userId } = request.auth
      const endpoint = await ctx.endpoints.get(userId, request.params.id)
      // A live pod of this endpoint; a plain pod, another endpoint's worker or a terminated one is not.
      const worker = await ctx.store.pods.get(userId, request.params.workerId)
      if (!worker || worker.endpointId !== endpoint.id) throw notFound('worker')
      return streamPodLogs(ctx, request, reply, worker, request.query)
    },
  )
}
