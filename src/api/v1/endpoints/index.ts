import Type from 'typebox'
import type { Endpoint, FlashBoot } from '../../../domain/resources.js'
import type { App, AppContext } from '../../context.js'
import { ErrorBody } from '../../schema-helpers.js'
import { podObjects } from '../pods/render.js'
import { templateView } from '../templates/template-view.js'
import * as V1 from './schemas.js'

const tags = ['endpoints']

/** v1 turns FlashBoot on or off; v2 also has a priority mode, which v1's `true` does not pick. */
function v1Input<T extends { flashboot?: boolean }>(
  body: T,
): Omit<T, 'flashboot'> & { flashboot?: FlashBoot } {
  const { flashboot, ...rest } = body
  return { ...rest, flashboot: flashboot === undefined ? undefined : flashboot ? 'FLASHBOOT' : 'OFF' }
}

/** Renders endpoints with what the include flags ask for, one query per kind. */
async function renderEndpoints(
  ctx: AppContext,
  userId: string,
  endpoints: readonly Endpoint[],
  include: { includeTemplate?: boolean; includeWorkers?: boolean },
): Promise<V1.Endpoint[]> {
  const templates = new Map(
    (await ctx.store.templates.usableByIds(userId, [...new Set(endpoints.map((e) => e.templateId))])).map(
      (t) => [t.id, t],
    ),
  )
  const workers = include.includeWorkers
    ? await ctx.endpoints.workers(
        userId,
        endpoints.map((e) => e.id),
      )
    : undefined
  const rendered = workers && (await podObjects(ctx, userId, [...workers.values()].flat()))
  const renderedById = new Map(rendered?.map((p) => [p.id, p]))
  const catalog = ctx.catalog()
  return endpoints.map((e) => {
    const template = templates.get(e.templateId)
    return {
      allowedCudaVersions: [...e.allowedCudaVersions] as V1.Endpoint['allowedCudaVersions'],
      computeType: e.computeType,
      createdAt: new Date(e.createdAt).toISOString(),
      dataCenterIds: [...e.dataCenterIds],
      env: { ...template?.env },
      executionTimeoutMs: e.executionTimeoutMs,
      gpuCount: e.gpuCount,
      gpuTypeIds: [...e.gpuTypeIds],
      id: e.id,
      idleTimeout: e.idleTimeout,
      // RunPod names CPU worker shapes "<flavor>-<vCPUs>-<GB RAM>".
      instanceIds:
        e.computeType === 'CPU'
          ? e.cpuFlavorIds.map(
              (f) => `${f}-${e.vcpuCount}-${e.vcpuCount * (catalog.cpuFlavors.get(f)?.ramPerVcpuGb ?? 0)}`,
            )
          : [],
      minCudaVersion: (e.minCudaVersion ?? undefined) as V1.Endpoint['minCudaVersion'],
      name: e.name,
      networkVolumeId: e.networkVolumeIds[0],
      networkVolumeIds: [...e.networkVolumeIds],
      scalerType: e.scalerType,
      // v2 sets queue delays in fractions of a second; v1 has whole numbers only.
      scalerValue: Math.ceil(e.scalerValue),
      template: include.includeTemplate && template ? templateView(template) : undefined,
      templateId: e.templateId,
      userId: e.userId,
      version: e.version,
      workers: workers?.get(e.id)?.map((pod) => renderedById.get(pod.id)!),
      workersMax: e.workersMax,
      workersMin: e.workersMin,
    }
  })
}

export function endpointRoutes(app: App, ctx: AppContext) {
  app.get(
    '/endpoints',
    {
      schema: {
        operationId: 'ListEndpoints',
        summary: 'List Serverless endpoints',
        tags,
        querystring: V1.EndpointIncludes,
        response: { 200: Type.Array(V1.Endpoint), 400: ErrorBody },
      },
    },
    async (request) => {
      const { userId } = request.auth
      return renderEndpoints(ctx, userId, await ctx.endpoints.list(userId), request.query)
    },
  )

  app.get(
    '/endpoints/:endpointId',
    {
      schema: {
        operationId: 'GetEndpoint',
        summary: 'Find a Serverless endpoint by ID',
        tags,
        params: V1.EndpointIdParams,
        querystring: V1.EndpointIncludes,
        response: { 200: V1.Endpoint, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const { userId } = request.auth
      const endpoint = await ctx.endpoints.get(userId, request.params.endpointId)
      return (await renderEndpoints(ctx, userId, [endpoint], request.query))[0]!
    },
  )

  app.post(
    '/endpoints',
    {
      schema: {
        operationId: 'CreateEndpoint',
        summary: 'Create a Serverless endpoint',
        tags,
        body: V1.EndpointCreateInput,
        response: { 200: V1.Endpoint, 400: ErrorBody },
      },
    },
    async (request) => {
      const { userId } = request.auth
      const endpoint = await ctx.endpoints.create(userId, v1Input(request.body))
      return (await renderEndpoints(ctx, userId, [endpoint], {}))[0]!
    },
  )

  for (const [method, url] of [
    ['PATCH', '/endpoints/:endpointId'],
    ['POST', '/endpoints/:endpointId/update'],
  ] as const) {
    app.route({
      method,
      url,
      schema: {
        operationId: 'UpdateEndpoint',
        summary: 'Update a Serverless endpoint',
        description: 'Update an endpoint; changes to what workers run trigger a rolling release.',
        tags,
        params: V1.EndpointIdParams,
        body: V1.EndpointUpdateInput,
        response: { 200: V1.Endpoint, 400: ErrorBody, 404: ErrorBody },
      },
      handler: async (request) => {
        const { userId } = request.auth
        const endpoint = await ctx.endpoints.update(userId, request.params.endpointId, v1Input(request.body))
        return (await renderEndpoints(ctx, userId, [endpoint], {}))[0]!
      },
    })
  }

  app.delete(
    '/endpoints/:endpointId',
    {
      schema: {
        operationId: 'DeleteEndpoint',
        summary: 'Delete a Serverless endpoint and its workers',
        tags,
        params: V1.EndpointIdParams,
        response: { 204: Type.Null(), 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      await ctx.endpoints.delete(request.auth.userId, request.params.endpointId)
      return reply.code(204).send(null)
    },
  )
}
