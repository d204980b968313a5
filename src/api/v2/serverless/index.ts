import type { App, AppContext } from '../../context.js'

export function serverlessRoutes(_v2: App, _ctx: AppContext): void {}
