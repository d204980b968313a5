import type { App, AppContext } from '../../context.js'

export function accountRoutes(_v2: App, _ctx: AppContext): void {}
