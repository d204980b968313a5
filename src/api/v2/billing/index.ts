import type { App, AppContext } from '../../context.js'

export function billingRoutes(_v2: App, _ctx: AppContext): void {}
