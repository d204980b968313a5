import type { App, AppContext } from '../../context.js'

export function networkVolumeRoutes(_v2: App, _ctx: AppContext): void {}
