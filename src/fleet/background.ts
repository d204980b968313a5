import type { FastifyBaseLogger } from 'fastify'
import type { AppContext } from '../api/context.js'
import { every } from './every.js'

/** How often background work runs. */
export const BACKGROUND_MS = 5000
/** A leader that stops renewing loses the lead after this long. */
const LEADER_LEASE_MS = 15_000

/**
 * Starts the background work of one replica. Reading the catalog and the fleet again (operators
 * and other replicas change them) runs everywhere; fleet work (maintenance windows, endpoint
 * workers) runs on one replica only, the holder of the `simulator` lease, so each event is handled
 * once however many replicas run.
 */
export function startBackgroundWork(ctx: AppContext, log: FastifyBaseLogger): () => Promise<void> {
  const stopCatalog = every(
    BACKGROUND_MS,
    async () => {
      await ctx.reloadCatalog()
      await ctx.store.fleet.refresh()
    },
    log,
  )
  const stopFleet = every(
    BACKGROUND_MS,
    async () => {
      if (!(await ctx.store.leases.acquire('simulator', ctx.replicaId, LEADER_LEASE_MS, ctx.clock.now())))
        return
      await ctx.tick()
    },
    log,
  )
  return async () => {
    await Promise.all([stopCatalog(), stopFleet()])
  }
}
