import type { App, AppContext } from '../../context.js'
import { ErrorBody } from '../../schema-helpers.js'
import { type PodRenderer, sendRendered } from './render.js'
import { GetPodQuery, Pod, PodIdParams } from './schemas.js'

export function getPod(app: App, ctx: AppContext, renderer: PodRenderer) {
  app.get(
    '/pods/:podId',
    {
      schema: {
        operationId: 'GetPod',
        summary: 'Find a Pod by ID',
        tags: ['pods'],
        params: PodIdParams,
        querystring: GetPodQuery,
        response: { 200: Pod, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      const { userId } = request.auth
      const { podId } = request.params
      const json = await renderer.byId(userId, podId, request.query, request.dataGeneration, () =>
        ctx.pods.get(userId, podId, request.query),
      )
      return sendRendered(reply, json)
    },
  )
}
