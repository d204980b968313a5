import { randomUUID } from 'node:crypto'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, { type FastifyServerOptions } from 'fastify'
import { badRequest } from '../domain/errors.js'
import { adminRoutes } from './admin/index.js'
import { agentRoutes } from './agent/index.js'
import { authenticate } from './auth.js'
import { consoleRoutes, hasConsole, sendConsole, wantsConsole } from './console/index.js'
import type { App, AppContext } from './context.js'
import { errorHandler, notFoundHandler } from './errors.js'
import { clientErrorHandler, frameworkErrorHandler, MAX_PATH_PARAMETER_LENGTH } from './framework-errors.js'
import { healthRoutes } from './health.js'
import { LazyCompilers } from './lazy-compilers.js'
import { openApiRoutes, registerOpenApi } from './openapi.js'
import { refuseNulInUrl, unstorableText } from './text-input.js'
import { billingRoutes } from './v1/billing/index.js'
import { endpointRoutes } from './v1/endpoints/index.js'
import { networkVolumeRoutes } from './v1/network-volumes/index.js'
import { podRoutes } from './v1/pods/index.js'
import { savingsPlanRoutes } from './v1/pods/savings-plans.js'
import { registryAuthRoutes } from './v1/registry-auths/index.js'
import { templateRoutes } from './v1/templates/index.js'
import { v2Routes } from './v2/index.js'
import { validatorCompiler } from './validation.js'

/** Reported in the OpenAPI document. */
const VERSION = '0.1.0'

export interface AppOptions {
  readonly logger?: FastifyServerOptions['logger']
  /** The built web console (`dist/console`); served at `/` when it holds an index.html. */
  readonly consoleDir?: string
}

/**
 * The HTTP application: RunPod's v1 API under /v1 and v2 under /v2 (each with its OpenAPI),
 * the operator's admin API under /admin/v1, the machine agents' API under /agent/v1, health at /healthz, and the web console at `/` when
 * `consoleDir` holds a build.
 */
export async function buildApp(ctx: AppContext, options: AppOptions = {}): Promise<App> {
  const compilers = new LazyCompilers()
  const app = Fastify({
    logger: options.logger ?? false,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: MAX_PATH_PARAMETER_LENGTH },
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler,
    schemaController: { compilersFactory: { buildSerializer: compilers.serializerFactory } },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.setValidatorCompiler(compilers.validator(validatorCompiler))
  app.addHook('onListen', async () => compilers.compileInBackground())
  app.addHook('onClose', async () => compilers.stop())
  app.setErrorHandler(errorHandler)
  const consoleDir = hasConsole(options.consoleDir) ? options.consoleDir : undefined
  app.setNotFoundHandler((request, reply) =>
    consoleDir && wantsConsole(request) ? sendConsole(reply) : notFoundHandler(request, reply),
  )

  // Clients often send `Content-Type: application/json` with an empty body on POST actions.
  const parseJson = app.getDefaultJsonParser('error', 'error')
  app.removeContentTypeParser('application/json')
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    if (body === '') return done(null, undefined)
    parseJson(request, body as string, (error, parsed) => {
      const unstorable = error ? undefined : unstorableText(body as string, parsed)
      if (unstorable) done(badRequest(unstorable), undefined)
      else done(error, parsed)
    })
  })
  app.addHook('preParsing', refuseNulInUrl)

  app.addHook('onSend', (request, reply, payload, done) => {
    reply.header('x-request-id', request.id)
    done(null, payload)
  })

  await registerOpenApi(app, VERSION)
  healthRoutes(app, ctx)
  await openApiRoutes(app)
  await app.register(
    async (v1: App) => {
      v1.addHook('onRequest', authenticate(ctx.store))
      podRoutes(v1, ctx)
      savingsPlanRoutes(v1, ctx)
      templateRoutes(v1, ctx)
      networkVolumeRoutes(v1, ctx)
      registryAuthRoutes(v1, ctx)
      endpointRoutes(v1, ctx)
      billingRoutes(v1, ctx)
    },
    { prefix: '/v1' },
  )
  await v2Routes(app, ctx, compilers)
  await app.register(async (admin: App) => adminRoutes(admin, ctx), { prefix: '/admin/v1' })
  await app.register(async (agent: App) => agentRoutes(agent, ctx), { prefix: '/agent/v1' })
  if (consoleDir) await consoleRoutes(app, consoleDir)
  return app
}
