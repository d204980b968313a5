import { createHmac, randomBytes } from 'node:crypto'
import { hostname } from 'node:os'
import type { AppContext } from './api/context.js'
import type { Clock } from './clock.js'
import { type Config, DEFAULT_AGENT_HEARTBEAT_TIMEOUT_MS } from './config.js'
import { AgentService } from './domain/agents.js'
import { BillingService } from './domain/billing-service.js'
import { ClusterService } from './domain/clusters.js'
import { EcrDelegationService } from './domain/ecr-delegations.js'
import { EndpointService } from './domain/endpoints.js'
import { FleetService } from './domain/fleet.js'
import { NetworkVolumeService } from './domain/network-volumes.js'
import { PodService } from './domain/pods.js'
import { MemoryRateLimiter, RUNPOD_RATE_LIMITS, StoreRateLimiter } from './domain/rate-limits.js'
import { RegistryAuthService } from './domain/registry-auths.js'
import { SavingsPlanService } from './domain/savings-plans.js'
import { SecretBox } from './domain/secret-box.js'
import { TemplateService } from './domain/templates.js'
import { UserService } from './domain/users.js'
import type { Catalog } from './fleet/catalog.js'
import { officialTemplates } from './fleet/official-templates.js'
import { seedFleet } from './fleet/seed.js'
import { SimulatedRuntime } from './fleet/simulator.js'
import type { Store } from './store/store.js'

/** Identifies this process among the replicas sharing a store. */
export function newReplicaId(): string {
  return `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`
}

/** Seeds the catalog and official templates (idempotent), and a simulated fleet when the store has none. */
export async function ensureFleet(
  store: Store,
  config: Pick<Config, 'seedMachines'>,
  clock: Clock,
): Promise<void> {
  const empty = (await store.machines.count()) === 0
  await seedFleet(store, { machines: empty ? config.seedMachines : 0, seed: 1, now: clock.now() })
  await store.templates.insertMissing(officialTemplates())
}

/** Wires the domain services over a store; shared by the server and the tests. */
export async function createContext(
  store: Store,
  config: Partial<
    Pick<Config, 'simPullMsPerGb' | 'simFailureRate' | 'simSeed' | 'rateLimits' | 'agentHeartbeatTimeoutMs'>
  > &
    Pick<Config, 'simBootMs'> & { readonly secret: string; readonly replicaId?: string },
  clock: Clock,
): Promise<AppContext> {
  let catalog: Catalog = await store.catalog.load()
  let fingerprint = catalog.fingerprint()
  let generation = 0
  const current = () => catalog
  const runtime = new SimulatedRuntime({
    bootMs: config.simBootMs,
    pullMsPerGb: config.simPullMsPerGb ?? 0,
    failureRate: config.simFailureRate ?? 0,
    seed: config.simSeed ?? 1,
  })
  const pods = new PodService({ store, catalog: current, clock, runtime })
  const replicaId = config.replicaId ?? newReplicaId()
  const endpoints = new EndpointService({ store, clock, catalog: current, pods, replicaId })
  const reloadCatalog = async () => {
    catalog = await store.catalog.load()
    const next = catalog.fingerprint()
    if (next !== fingerprint) {
      fingerprint = next
      generation += 1
    }
  }
  const fleet = new FleetService({ store, clock, catalog: current, reloadCatalog, pods })
  const billing = new BillingService({ store, clock })
  const registryAuths = new RegistryAuthService({ store, clock, secrets: new SecretBox(config.secret) })
  const agents = new AgentService({
    store,
    clock,
    catalog: current,
    fleet,
    registryAuths,
    pods,
    heartbeatTimeoutMs: config.agentHeartbeatTimeoutMs ?? DEFAULT_AGENT_HEARTBEAT_TIMEOUT_MS,
  })
  return {
    replicaId,
    tokenKey: createHmac('sha256', config.secret).update('podplane tokens').digest(),
    rateLimits: config.rateLimits ?? RUNPOD_RATE_LIMITS,
    rateLimiter:
      store.dialect === 'postgres' ? new StoreRateLimiter(store.rateCounters) : new MemoryRateLimiter(),
    store,
    clock,
    catalog: current,
    reloadCatalog,
    catalogGeneration: () => generation,
    pods,
    clusters: new ClusterService({ store, pods }),
    endpoints,
    templates: new TemplateService({ store, clock, onChanged: (t) => endpoints.templateChanged(t) }),
    networkVolumes: new NetworkVolumeService({ store, clock, catalog: current }),
    registryAuths,
    ecrDelegations: new EcrDelegationService({ store, clock }),
    savingsPlans: new SavingsPlanService({ store, clock, catalog: current, pods }),
    billing,
    fleet,
    users: new UserService({ store, clock, billing }),
    agents,
    tick: async () => {
      await agents.markSilentMachinesDown()
      await fleet.enforceMaintenance()
      await endpoints.reconcileAll()
    },
  }
}
