import Type from 'typebox'
import type { App } from './context.js'

export function healthRoutes(app: App) {
  app.get(
    '/healthz',
    { schema: { hide: true, response: { 200: Type.Object({ status: Type.Literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  )
}
