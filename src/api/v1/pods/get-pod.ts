import type { App, AppContext } from '../../context.js'
import { ErrorBody } from '../../schema-helpers.js'
import { renderPod } from './render.js'
import { GetPodQuery, Pod, PodIdParams } from './schemas.js'

export function getPod(app: App, ctx: AppContext) {
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
    async (request) => {
      const { userId } = request.auth
      const pod = await ctx.pods.get(userId, request.params.podId, request.query)
      return renderPod(ctx, userId, pod, request.query)
    },
  )
}
