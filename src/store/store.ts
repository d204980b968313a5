import type { Kysely } from 'kysely'
import { AccountRepository } from './account.js'
import { AgentRepository } from './agents.js'
import { AllocationRepository } from './allocations.js'
import { ApiKeyRepository } from './api-keys.js'
import { type BatchAttempt, WriteBatcher } from './batcher.js'
import { CatalogRepository } from './catalog.js'
import { ClusterRepository } from './clusters.js'
import type { DatabaseHandle, Dialect } from './database.js'
import { EcrDelegationRepository } from './ecr-delegations.js'
import { EndpointReleaseRepository } from './endpoint-releases.js'
import { EndpointRepository } from './endpoints.js'
import { FleetCache } from './fleet-cache.js'
import { LeaseRepository } from './leases.js'
import { type CacheFollowUp, MachineRepository } from './machines.js'
import { pendingMigrations } from './migrate.js'
import { NetworkVolumeRepository } from './network-volumes.js'
import { PodRepository } from './pods.js'
import { PostgresBatchEnd } from './postgres/batch-end.js'
import type { MachineChangeListener } from './postgres/machine-changes.js'
import { PreparedQueries } from './prepared.js'
import { RateCounterRepository } from './rate-counters.js'
import { RegistryAuthRepository } from './registry-auths.js'
import { SavingsPlanRepository } from './savings-plans.js'
import type { Database } from './schema.js'
import type { PodJournal } from './sqlite/pod-journal.js'
import { TemplateRepository } from './templates.js'
import { UsageRepository } from './usage.js'
import { UserRepository } from './users.js'

/** The repositories, bound to one connection or one transaction. */
export interface Repositories {
  readonly pods: PodRepository
  readonly machines: MachineRepository
  readonly allocations: AllocationRepository
  readonly apiKeys: ApiKeyRepository
  readonly catalog: CatalogRepository
  readonly templates: TemplateRepository
  readonly networkVolumes: NetworkVolumeRepository
  readonly registryAuths: RegistryAuthRepository
  readonly savingsPlans: SavingsPlanRepository
  readonly usage: UsageRepository
  readonly endpoints: EndpointRepository
  readonly endpointReleases: EndpointReleaseRepository
  readonly leases: LeaseRepository
  readonly users: UserRepository
  readonly rateCounters: RateCounterRepository
  readonly account: AccountRepository
  readonly ecrDelegations: EcrDelegationRepository
  readonly clusters: ClusterRepository
  readonly agents: AgentRepository
}

/** The only door from the domain to the database. */
export interface Store extends Repositories {
  readonly dialect: Dialect
  /** The fleet in memory, for placement and machine views; refreshed from the database. */
  readonly fleet: FleetCache
  /** Runs `work` in one transaction: all of its writes land, or none. */
  transaction<T>(work: (tx: Repositories) => Promise<T>): Promise<T>
  /**
   * Like `transaction`, sharing one transaction (and one commit) with the other writes submitted
   * at the same moment; each still lands whole or not at all. `work` must only use `tx`.
   */
  batched<T>(work: (tx: Repositories) => Promise<T>): Promise<T>
  /**
   * A number that stays the same only while nothing is written to the database, by this process
   * or any other: answers cached under it are fresh while it holds. Undefined where the store
   * cannot tell without asking the server (PostgreSQL: other replicas commit unseen); there the
   * snapshot an API-key lookup read in plays its part (`ApiKeyRepository.ownerOf`).
   */
  dataGeneration(): number | undefined
  /**
   * `dataGeneration`, read once for all the requests arriving in one turn of the event loop, after
   * the last of them arrived (so no later than a reading of each one's own). Undefined where
   * `dataGeneration` is.
   */
  dataGenerationInTurn(): Promise<number> | undefined
  /**
   * Like `dataGeneration`, moving only for writes to API keys and users made here (and, as ever,
   * for any commit by another process): owners found by key are fresh while it holds. Read right
   * after `dataGeneration`/`dataGenerationInTurn`, whose reading it shares. Undefined where they are.
   */
  ownersGeneration(): number | undefined
  /**
   * Like `dataGeneration`, moving only for writes by other processes (every write this process
   * makes to machines reaches the fleet cache as it happens). Undefined where unseen (PostgreSQL,
   * unless `followMachineChanges` is listening: then other processes' changes reach the cache as
   * they commit, and this stays put).
   */
  writesElsewhere(): number | undefined
  /**
   * Keeps the fleet cache in step with other processes' machine changes as they commit, for a
   * long-running server. On PostgreSQL a connection LISTENs for the machines' notifications: the
   * machines another replica or the CLI changed are read again at once, and while it listens
   * `writesElsewhere` is defined (nothing to read the whole fleet for). SQLite needs nothing
   * (`writesElsewhere` tells of other processes' commits). Failures go to `onError`; the
   * connection is made again by itself.
   */
  followMachineChanges(onError: (error: Error) => void): Promise<void>
  /** Names of migrations not yet applied (empty when the schema is current). */
  pendingMigrations(): Promise<string[]>
  close(): Promise<void>
}

function repositories(
  db: Kysely<Database>,
  dialect: Dialect,
  fleet: FleetCache,
  prepared: PreparedQueries,
  journal: PodJournal | undefined,
  pending?: CacheFollowUp,
  attempt?: BatchAttempt,
): Repositories {
  // Only PostgreSQL leaves work to the end of a batch: there each statement is a round trip, while
  // SQLite's cost none (and its new pods go to the journal).
  const batchEnd = dialect === 'postgres' ? attempt?.endWith(() => new PostgresBatchEnd(fleet)) : undefined
  return {
    pods: new PodRepository(db, dialect, prepared, journal, batchEnd),
    machines: new MachineRepository(db, fleet, prepared, pending, batchEnd && attempt, batchEnd),
    allocations: new AllocationRepository(db),
    apiKeys: new ApiKeyRepository(db, dialect, prepared),
    catalog: new CatalogRepository(db),
    templates: new TemplateRepository(db),
    networkVolumes: new NetworkVolumeRepository(db),
    registryAuths: new RegistryAuthRepository(db),
    savingsPlans: new SavingsPlanRepository(db, prepared),
    usage: new UsageRepository(db),
    endpoints: new EndpointRepository(db),
    endpointReleases: new EndpointReleaseRepository(db),
    leases: new LeaseRepository(db),
    users: new UserRepository(db),
    rateCounters: new RateCounterRepository(db),
    account: new AccountRepository(db),
    ecrDelegations: new EcrDelegationRepository(db),
    clusters: new ClusterRepository(db),
    agents: new AgentRepository(db),
  }
}

/**
 * Re-reads machines a transaction touched. When that read fails too (the store went away), the
 * whole cache is marked out of date instead: the transaction's own outcome stands either way, and
 * a committed write must not be reported as failed.
 */
async function catchUp(fleet: FleetCache, ids: Iterable<string>): Promise<void> {
  try {
    await fleet.reload(ids)
  } catch {
    fleet.invalidate()
  }
}

/**
 * Other processes' machine changes into the fleet cache: the machines named are read again
 * together once per turn of the event loop; after changes that may have gone unheard, the whole
 * fleet is.
 */
function followingChanges(fleet: FleetCache, onError: (error: Error) => void): MachineChangeListener {
  let changed = new Set<string>()
  return {
    changed: (ids) => {
      if (changed.size === 0) {
        setImmediate(() => {
          const reading = changed
          changed = new Set()
          void catchUp(fleet, reading)
        })
      }
      for (const id of ids) changed.add(id)
    },
    missed: () => {
      fleet.refresh().catch(() => fleet.invalidate())
    },
    failed: onError,
  }
}

/**
 * What answers are cached under: SQLite's data generation (a number), or a PostgreSQL snapshot
 * (text). Equal values mean nothing was committed in between.
 */
export type DataGeneration = number | string

export function createStore(handle: DatabaseHandle): Store {
  const { db, dialect, journal, generation, machineChanges } = handle
  const prepared = new PreparedQueries()
  const machines = () => new MachineRepository(db, fleet, prepared)
  const fleet: FleetCache = new FleetCache({
    byIds: (ids) => machines().rows(ids),
    page: (afterId, limit) => machines().page(afterId, limit),
  })
  const batcher = new WriteBatcher(db, (ids) => catchUp(fleet, ids))
  return {
    ...repositories(db, dialect, fleet, prepared, journal),
    dialect,
    fleet,
    dataGeneration: generation ? () => generation.current() : () => undefined,
    dataGenerationInTurn: generation ? () => generation.currentInTurn() : () => undefined,
    ownersGeneration: generation ? () => generation.owners() : () => undefined,
    writesElsewhere: generation
      ? () => generation.elsewhere()
      : () => (machineChanges?.listening ? 0 : undefined),
    followMachineChanges: async (onError) => {
      await machineChanges?.follow(followingChanges(fleet, onError))
    },
    transaction: async (work) => {
      const pending: CacheFollowUp = { touched: new Set(), stale: new Set() }
      try {
        const result = await db
          .transaction()
          .execute((trx) => work(repositories(trx, dialect, fleet, prepared, journal, pending)))
        await catchUp(fleet, pending.stale)
        return result
      } catch (error) {
        // The machines it changed are back to what they were in the database; so is the cache.
        await catchUp(fleet, [...pending.touched, ...pending.stale])
        throw error
      }
    },
    batched: async (work) => {
      const pending: CacheFollowUp = { touched: new Set(), stale: new Set() }
      let runs = 0
      try {
        const result = await batcher.submit((trx, attempt) => {
          runs++
          return work(repositories(trx, dialect, fleet, prepared, journal, pending, attempt))
        })
        // A second run (the batch's first attempt rolled back) may have claimed other machines
        // than the first, whose undone claims the cache still shows.
        await catchUp(fleet, runs > 1 ? [...pending.touched, ...pending.stale] : pending.stale)
        return result
      } catch (error) {
        await catchUp(fleet, [...pending.touched, ...pending.stale])
        throw error
      }
    },
    pendingMigrations: () => pendingMigrations(db as Kysely<unknown>),
    close: async () => {
      await machineChanges?.close()
      await db.destroy()
    },
  }
}
