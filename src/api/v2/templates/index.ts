import type { App, AppContext } from '../../context.js'

export function templateRoutes(_v2: App, _ctx: AppContext): void {}
