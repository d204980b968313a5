import type { App, AppContext } from '../../context.js'
import { ErrorBody } from '../../schema-helpers.js'
import { type PodRenderer, sendRendered } from './render.js'
import { Pod, PodCreateInput } from './schemas.js'

export function createPod(app: App, ctx: AppContext, renderer: PodRenderer) {
  app.post(
    '/pods',
    {
      schema: {
        operationId: 'CreatePod',
        summary: 'Create a new Pod',
        tags: ['pods'],
        body: PodCreateInput,
        response: { 201: Pod, 400: ErrorBody, 500: ErrorBody },
      },
    },
    async (request, reply) => {
      const { userId } = request.auth
      const pod = await ctx.pods.create(userId, request.body)
      return sendRendered(reply, await renderer.created(pod), 201)
    },
  )
}
