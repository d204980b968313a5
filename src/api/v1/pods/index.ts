import type { App, AppContext } from '../../context.js'
import { createPod } from './create-pod.js'
import { deletePod } from './delete-pod.js'
import { getPod } from './get-pod.js'
import { listPods } from './list-pods.js'
import { podActions } from './pod-actions.js'
import { PodRenderer } from './render.js'
import { updatePod } from './update-pod.js'

export function podRoutes(app: App, ctx: AppContext) {
  const renderer = new PodRenderer(ctx)
  listPods(app, ctx, renderer)
  getPod(app, ctx, renderer)
  createPod(app, ctx, renderer)
  updatePod(app, ctx, renderer)
  deletePod(app, ctx)
  podActions(app, ctx, renderer)
}
