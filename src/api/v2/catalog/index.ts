import type { App, AppContext } from '../../context.js'
import { cpuTypeRoutes } from './cpu-types.js'
import { dataCenterRoutes } from './data-centers.js'
import { gpuTypeRoutes } from './gpu-types.js'

/** The v2 catalog: GPU types, CPU flavors and data centers, with availability from the live fleet. */
export function catalogRoutes(v2: App, ctx: AppContext): void {
  gpuTypeRoutes(v2, ctx)
  cpuTypeRoutes(v2, ctx)
  dataCenterRoutes(v2, ctx)
}
