import Type from 'typebox'
import type { App, AppContext } from '../../context.js'
import { ErrorBody } from '../../schema-helpers.js'
import { PodIdParams } from './schemas.js'

export function deletePod(app: App, ctx: AppContext) {
  app.delete(
    '/pods/:podId',
    {
      schema: {
        operationId: 'DeletePod',
        summary: 'Delete a Pod',
        tags: ['pods'],
        params: PodIdParams,
        response: {
          204: Type.Null({ description: 'Pod successfully deleted.' }),
          400: ErrorBody,
          404: ErrorBody,
        },
      },
    },
    async (request, reply) => {
      await ctx.pods.act(request.auth.userId, request.params.podId, 'terminate')
      return reply.code(204).send(null)
    },
  )
}
