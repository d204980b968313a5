import type { AppContext } from './api/context.js'
import type { Clock } from './clock.js'
import type { Config } from './config.js'
import { PodService } from './domain/pods.js'
import type { Catalog } from './fleet/catalog.js'
import { seedFleet } from './fleet/seed.js'
import { simulatedBootDelay } from './fleet/simulator.js'
import type { Store } from './store/store.js'

/** Seeds the catalog always (idempotent) and a simulated fleet when the store has no machines. */
export async function ensureFleet(
  store: Store,
  config: Pick<Config, 'seedMachines'>,
  clock: Clock,
): Promise<void> {
  const empty = (await store.machines.count()) === 0
  await seedFleet(store, { machines: empty ? config.seedMachines : 0, seed: 1, now: clock.now() })
}

/** Wires the domain services over a store; shared by the server and the tests. */
export async function createContext(
  store: Store,
  config: Pick<Config, 'simBootMs'>,
  clock: Clock,
): Promise<AppContext> {
  let catalog: Catalog = await store.catalog.load()
  const current = () => catalog
  const pods = new PodService({
    store,
    catalog: current,
    clock,
    bootDelayMs: simulatedBootDelay(config.simBootMs),
  })
  return {
    store,
    clock,
    catalog: current,
    pods,
    reloadCatalog: async () => {
      catalog = await store.catalog.load()
    },
  }
}
