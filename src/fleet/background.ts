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
 * once however many replicas run. The whole fleet is read again only when another process wrote
 * to the SQLite file, or on PostgreSQL while other processes' machine changes go unheard.
 * `intervalMs` is for tests, which cannot wait 5 s a round.
 */
export function startBackgroundWork(
  ctx: AppContext,
  log: FastifyBaseLogger,
  intervalMs = BACKGROUND_MS,
): () => Promise<void> {
  // Other processes' machine changes reach the fleet cache as they commit (PostgreSQL: a
  // connection listening for them; SQLite has `writesElsewhere`). Listening starts before the
  // fleet is first read, so that read is the only one.
  let seenElsewhere: number | undefined
  ctx.store
    .followMachineChanges((error) =>
      log.warn({ err: error }, 'lost the connection that hears of machine changes; connecting again'),
    )
    .then(() => {
      seenElsewhere = ctx.store.writesElsewhere()
      // The fleet is read into memory now rather than by the first create (10k machines take a
      // few hundred ms); a failure leaves it to the first placement, which tries again.
      return ctx.store.fleet.ready()
    })
    .catch((error) => log.warn({ err: error }, 'could not load the fleet yet'))
  const stopCatalog = every(
    intervalMs,
    async () => {
      await ctx.reloadCatalog()
      // This process's own machine writes reach the fleet cache as they happen; reading 10k
      // machines again is for other processes' writes where they go unheard (PostgreSQL while
      // the connection listening for them is down).
      const elsewhere = ctx.store.writesElsewhere()
      // Listening again after a lost connection (undefined, then defined) read the fleet itself.
      if (elsewhere === undefined || (seenElsewhere !== undefined && elsewhere !== seenElsewhere)) {
        await ctx.store.fleet.refresh()
      }
      seenElsewhere = elsewhere
    },
    log,
  )
  const stopFleet = every(
    intervalMs,
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
