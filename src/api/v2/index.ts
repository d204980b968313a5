import { authenticate } from '../auth.js'
import type { App, AppContext } from '../context.js'
import type { LazyCompilers } from '../lazy-compilers.js'
import { accountRoutes } from './account/index.js'
import { billingRoutes } from './billing/index.js'
import { catalogRoutes } from './catalog/index.js'
import { clusterRoutes } from './clusters/index.js'
import { networkVolumeRoutes } from './network-volumes/index.js'
import { podRoutes } from './pods/index.js'
import { sendProblem, v2ErrorHandler } from './problem.js'
import { rateLimit } from './rate-limit.js'
import { registryRoutes } from './registries/index.js'
import { RouteTable } from './routes-table.js'
import { serverlessRoutes } from './serverless/index.js'
import { templateRoutes } from './templates/index.js'
import { v2ValidatorCompiler } from './validation.js'

/**
 * RunPod's REST v2 under /v2: the same domain as v1, in v2's shapes, with problem+json errors,
 * 405 for known paths, and per-user rate limits reported on every authenticated response.
 */
export async function v2Routes(app: App, ctx: AppContext, compilers: LazyCompilers): Promise<void> {
  await app.register(
    async (v2: App) => {
      // Compiled on first use or in the background after listen, like every other route's.
      v2.setValidatorCompiler(compilers.validator(v2ValidatorCompiler))
      v2.setErrorHandler(v2ErrorHandler)
      const routes = new RouteTable()
      v2.addHook('onRoute', (route) => routes.add(route.url, route.method))
      v2.addHook('onRequest', authenticate(ctx.store))
      v2.addHook('onRequest', rateLimit(ctx))
      v2.setNotFoundHandler((request, reply) => {
        const path = request.url.split('?')[0]!
        const allowed = routes.allowed(path)
        if (allowed) {
          reply.header('allow', allowed.join(', '))
          return sendProblem(reply, 405, `method ${request.method} is not allowed on ${path}`)
        }
        return sendProblem(reply, 404, `route not found: ${request.method} ${path}`)
      })
      podRoutes(v2, ctx)
      clusterRoutes(v2, ctx)
      catalogRoutes(v2, ctx)
      templateRoutes(v2, ctx)
      networkVolumeRoutes(v2, ctx)
      registryRoutes(v2, ctx)
      accountRoutes(v2, ctx)
      serverlessRoutes(v2, ctx)
      billingRoutes(v2, ctx)
    },
    { prefix: '/v2' },
  )
}
