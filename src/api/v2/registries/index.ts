import type { App, AppContext } from '../../context.js'

export function registryRoutes(_v2: App, _ctx: AppContext): void {}
