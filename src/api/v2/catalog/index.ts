import type { App, AppContext } from '../../context.js'

export function catalogRoutes(_v2: App, _ctx: AppContext): void {}
