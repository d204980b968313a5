import type { FastifyRequest } from 'fastify'
import { forbidden } from '../../domain/errors.js'
import type { Store } from '../../store/store.js'
import { authenticate } from '../auth.js'
import type { App, AppContext } from '../context.js'
import { catalogRoutes } from './catalog.js'
import { joinTokenRoutes } from './join-tokens.js'
import { machineRoutes } from './machines.js'
import { simulatorRoutes } from './simulator.js'
import { userRoutes } from './users.js'

/** Like `authenticate`, and then only admin keys: a user key gets 403. */
function authenticateAdmin(store: Store) {
  const authenticateKey = authenticate(store)
  return async function authenticateAdminRequest(request: FastifyRequest) {
    await authenticateKey(request)
    if (!request.auth.isAdmin) throw forbidden('this route needs an admin key')
  }
}

/** The operator API (a podplane extension), under /admin/v1. */
export function adminRoutes(app: App, ctx: AppContext) {
  app.addHook('onRequest', authenticateAdmin(ctx.store))
  machineRoutes(app, ctx)
  catalogRoutes(app, ctx)
  userRoutes(app, ctx)
  simulatorRoutes(app, ctx)
  joinTokenRoutes(app, ctx)
}
