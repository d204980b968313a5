import type { App, AppContext } from '../../context.js'
import { ErrorBody } from '../../schema-helpers.js'
import { type PodRenderer, sendRendered } from './render.js'
import { Pod, PodIdParams, PodUpdateInput } from './schemas.js'

/** PATCH /pods/{podId} and its synonym POST /pods/{podId}/update. */
export function updatePod(app: App, ctx: AppContext, renderer: PodRenderer) {
  for (const [method, url] of [
    ['PATCH', '/pods/:podId'],
    ['POST', '/pods/:podId/update'],
  ] as const) {
    app.route({
      method,
      url,
      schema: {
        operationId: 'UpdatePod',
        summary: 'Update a Pod',
        description: 'Update a Pod, potentially triggering a reset.',
        tags: ['pods'],
        params: PodIdParams,
        body: PodUpdateInput,
        response: { 200: Pod, 400: ErrorBody, 404: ErrorBody },
      },
      handler: async (request, reply) => {
        const { userId } = request.auth
        const pod = await ctx.pods.update(userId, request.params.podId, request.body)
        return sendRendered(reply, await renderer.one(userId, pod))
      },
    })
  }
}
