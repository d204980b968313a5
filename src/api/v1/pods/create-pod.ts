import type { App, AppContext } from '../../context.js'
import { ErrorBody } from '../../schema-helpers.js'
import { renderPod } from './render.js'
import { Pod, PodCreateInput } from './schemas.js'

export function createPod(app: App, ctx: AppContext) {
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
      return reply.code(201).send(await renderPod(ctx, userId, pod))
    },
  )
}
