import Type from 'typebox'
import type { App, AppContext } from './context.js'

const Status = Type.Object({ status: Type.String(), detail: Type.Optional(Type.String()) })

/** `/healthz`: the process is alive. `/readyz`: it can serve (store reachable, schema current). */
export function healthRoutes(app: App, ctx: AppContext) {
  app.get('/healthz', { schema: { hide: true, response: { 200: Status } } }, async () => ({ status: 'ok' }))

  app.get(
    '/readyz',
    { schema: { hide: true, response: { 200: Status, 503: Status } } },
    async (_request, reply) => {
      try {
        // Reading the migration table is also what proves the store reachable.
        const pending = await ctx.store.pendingMigrations()
        if (pending.length > 0)
          return reply
            .code(503)
            .send({ status: 'unavailable', detail: `migrations pending: ${pending.join(', ')}` })
        return { status: 'ready' }
      } catch (error) {
        return reply
          .code(503)
          .send({ status: 'unavailable', detail: `store unreachable: ${(error as Error).message}` })
      }
    },
  )
}
