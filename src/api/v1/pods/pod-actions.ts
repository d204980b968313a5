import type { PodAction } from '../../../domain/pod-lifecycle.js'
import type { App, AppContext } from '../../context.js'
import { ErrorBody } from '../../schema-helpers.js'
import { type PodRenderer, sendRendered } from './render.js'
import { Pod, PodIdParams } from './schemas.js'

const ACTIONS: ReadonlyArray<{ action: PodAction; operationId: string; summary: string }> = [
  { action: 'start', operationId: 'StartPod', summary: 'Start or resume a Pod' },
  { action: 'stop', operationId: 'StopPod', summary: 'Stop a Pod' },
  { action: 'restart', operationId: 'RestartPod', summary: 'Restart a Pod' },
  { action: 'reset', operationId: 'ResetPod', summary: 'Reset a Pod' },
]

/** POST /pods/{podId}/start|stop|restart|reset, each answering 200 with the pod. */
export function podActions(app: App, ctx: AppContext, renderer: PodRenderer) {
  for (const { action, operationId, summary } of ACTIONS) {
    app.post(
      `/pods/:podId/${action}`,
      {
        schema: {
          operationId,
          summary,
          tags: ['pods'],
          params: PodIdParams,
          response: { 200: Pod, 400: ErrorBody, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        const { userId } = request.auth
        const pod = await ctx.pods.act(userId, request.params.podId, action)
        return sendRendered(reply, await renderer.one(userId, pod))
      },
    )
  }
}
