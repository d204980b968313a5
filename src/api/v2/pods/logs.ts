import type { App, AppContext } from '../../context.js'
export function podLogRoutes(_v2: App, _ctx: AppContext): void {}
