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
      const pod = await ctx.pods.get(userId, request.params.podId, request.query)
      return sendRendered(reply, await renderer.one(userId, pod, request.query))
    },
  )
}
