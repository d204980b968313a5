import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify'
import type { Clock } from '../clock.js'
import type { PodService } from '../domain/pods.js'
import type { Catalog } from '../fleet/catalog.js'
import type { Store } from '../store/store.js'

/** Everything a route needs, built once at start-up. */
export interface AppContext {
  readonly store: Store
  readonly clock: Clock
  readonly catalog: () => Catalog
  readonly pods: PodService
  /** Re-reads prices and types after an operator changed them. */
  readonly reloadCatalog: () => Promise<void>
}

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>
