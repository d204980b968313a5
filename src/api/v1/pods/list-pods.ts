import { statusesFor } from '../../../domain/pod-lifecycle.js'
import type { App, AppContext } from '../../context.js'
import { ErrorBody } from '../../schema-helpers.js'
import { splitCommaLists } from '../query-lists.js'
import { assertKnownIds } from './known-ids.js'
import { type PodRenderer, sendRendered } from './render.js'
import { LIST_PODS_ARRAY_PARAMS, ListPodsQuery, Pods } from './schemas.js'

export function listPods(app: App, ctx: AppContext, renderer: PodRenderer) {
  app.get(
    '/pods',
    {
      schema: {
        operationId: 'ListPods',
        summary: 'List Pods',
        tags: ['pods'],
        querystring: ListPodsQuery,
        response: { 200: Pods, 400: ErrorBody },
      },
      preValidation: splitCommaLists(LIST_PODS_ARRAY_PARAMS),
    },
    async (request, reply) => {
      const q = request.query
      const catalog = ctx.catalog()
      assertKnownIds('gpuTypeId', q.gpuTypeId, catalog.gpuTypes)
      assertKnownIds('dataCenterId', q.dataCenterId, catalog.dataCenters)
      assertKnownIds('cpuFlavorId', q.cpuFlavorId, catalog.cpuFlavors)
      const userId = request.auth.userId
      const json = await renderer.list(
        userId,
        {
          id: q.id,
          statuses: q.desiredStatus && statusesFor(q.desiredStatus),
          computeType: q.computeType,
          cpuFlavorIds: q.cpuFlavorId,
          dataCenterIds: q.dataCenterId,
          gpuTypeIds: q.gpuTypeId,
          endpointId: q.endpointId,
          imageName: q.imageName,
          name: q.name,
          networkVolumeId: q.networkVolumeId,
          templateId: q.templateId,
          includeWorkers: q.includeWorkers ?? false,
          // v2 Instant Cluster members are listed like any pod: v1 predates clusters and has no
          // flag for them, and they are the user's pods, billed as pods. v1 can also act on them
          // (a v1 DELETE ends one member; the cluster then counts one pod fewer).
        },
        q,
        request.dataGeneration,
      )
      return sendRendered(reply, json)
    },
  )
}
