import type { App, AppContext } from '../../context.js'
import { createPod } from './create-pod.js'
import { deletePod } from './delete-pod.js'
import { getPod } from './get-pod.js'
import { listPods } from './list-pods.js'
import { podActions } from './pod-actions.js'
import { updatePod } from './update-pod.js'

export function podRoutes(app: App, ctx: AppContext) {
  listPods(app, ctx)
  getPod(app, ctx)
  createPod(app, ctx)
  updatePod(app, ctx)
  deletePod(app, ctx)
  podActions(app, ctx)
}
