import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify'
import type { Clock } from '../clock.js'
import type { AgentService } from '../domain/agents.js'
import type { BillingService } from '../domain/billing-service.js'
import type { ClusterService } from '../domain/clusters.js'
import type { EcrDelegationService } from '../domain/ecr-delegations.js'
import type { EndpointService } from '../domain/endpoints.js'
import type { FleetService } from '../domain/fleet.js'
import type { NetworkVolumeService } from '../domain/network-volumes.js'
import type { PodService } from '../domain/pods.js'
import type { RateLimiter, RateLimits } from '../domain/rate-limits.js'
import type { RegistryAuthService } from '../domain/registry-auths.js'
import type { SavingsPlanService } from '../domain/savings-plans.js'
import type { TemplateService } from '../domain/templates.js'
import type { UserService } from '../domain/users.js'
import type { Catalog } from '../fleet/catalog.js'
import type { Store } from '../store/store.js'

/** Everything a route needs, built once at start-up. */
export interface AppContext {
  /** This process among the replicas sharing the store. */
  readonly replicaId: string
  readonly store: Store
  /** Signs opaque tokens handed to clients (v2 list cursors); derived from PODPLANE_SECRET. */
  readonly tokenKey: Buffer
  /** The v2 API's default per-user quotas, and what counts requests against them. */
  readonly rateLimits: RateLimits
  readonly rateLimiter: RateLimiter
  readonly clock: Clock
  readonly catalog: () => Catalog
  /** Re-reads prices and types after an operator changed them. */
  readonly reloadCatalog: () => Promise<void>
  /** Goes up whenever the catalog's content changes; part of what cached renderings depend on. */
  readonly catalogGeneration: () => number
  readonly pods: PodService
  /** Instant Clusters (v2): gangs of identical GPU pods in one data center. */
  readonly clusters: ClusterService
  readonly templates: TemplateService
  readonly networkVolumes: NetworkVolumeService
  readonly registryAuths: RegistryAuthService
  readonly ecrDelegations: EcrDelegationService
  readonly endpoints: EndpointService
  readonly savingsPlans: SavingsPlanService
  readonly billing: BillingService
  readonly fleet: FleetService
  readonly users: UserService
  /** Machines run by `podplane agent`: join tokens, heartbeats, desired state, reports, logs. */
  readonly agents: AgentService
  /** One pass of fleet work: silent agents' machines go down, maintenance windows take effect, endpoints get their workers. */
  readonly tick: () => Promise<void>
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>
