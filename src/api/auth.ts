import type { FastifyRequest } from 'fastify'
import { hashApiKey } from '../domain/api-keys.js'
import { unauthorized } from '../domain/errors.js'
import type { KeyOwner } from '../store/api-keys.js'
import type { DataGeneration, Store } from '../store/store.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the API key belongs to; set on every authenticated route. */
    auth: KeyOwner
    /**
     * The store's data generation when the request was authenticated (on SQLite
     * `Store.dataGenerationInTurn`, shared by the requests that arrived in the same turn of the
     * event loop; on PostgreSQL the key lookup's snapshot, shared likewise): answers cached under
     * it are fresh for this request.
     */
    dataGeneration: DataGeneration | undefined
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i

/** Owners kept by key; past this many the cache starts over. */
const OWNER_CACHE_SIZE = 10_000

/** One authentication (and one cache of owners) per store, whichever API (v1, v2, admin) asks. */
const byStore = new WeakMap<Store, (request: FastifyRequest) => Promise<void>>()

/**
 * `Authorization: Bearer <key>` → the key's owner. Failures are 401s, rendered by each API
 * version's error handler in its own shape.
 *
 * On SQLite, owners found are kept while the store's owners generation holds (no key or user
 * written since here, nothing committed by another process), so a revoked key or a disabled user
 * is refused by the very next request, and requests answer without a query while other writes
 * (creates, say) go on. PostgreSQL cannot see other replicas' commits without asking, so every
 * request looks its key up (requests arriving together share one query); the lookup also returns
 * the snapshot it read in, which serves as the request's data generation (one round trip for both).
 */
export function authenticate(store: Store): (request: FastifyRequest) => Promise<void> {
  let shared = byStore.get(store)
  if (!shared) {
    shared = keyAuthentication(store)
    byStore.set(store, shared)
  }
  return shared
}

function keyAuthentication(store: Store) {
  const owners = new Map<string, KeyOwner>()
  let ownersGeneration: number | undefined
  return async function authenticateRequest(request: FastifyRequest) {
    const header = request.headers.authorization
    if (!header) throw unauthorized('missing API key: send the header "Authorization: Bearer <key>"')
    const match = BEARER.exec(header)
    if (!match) throw unauthorized('malformed Authorization header: expected "Bearer <key>"')
    const key = match[1]!
    // Read before the lookup: a write landing during it then leaves the answer unkept. Requests
    // arriving in one turn of the event loop share one reading (writes too: a reading is a system
    // call or three, and a turn under a burst of creates carries several of them).
    const reading = store.dataGenerationInTurn()
    if (reading === undefined) {
      const found = await store.apiKeys.ownerOf(hashApiKey(key))
      if (!found) throw unauthorized('invalid API key')
      request.auth = found.owner
      request.dataGeneration = found.snapshot
      return
    }
    const generation = await reading
    // Owners stay kept across writes to anything but keys and users (creates, say).
    const ownersNow = store.ownersGeneration()
    if (ownersNow !== ownersGeneration || owners.size >= OWNER_CACHE_SIZE) {
      owners.clear()
      ownersGeneration = ownersNow
    }
    // Kept by the key itself, which this process holds anyway, so a hit skips hashing it.
    let owner = owners.get(key)
    if (!owner) {
      const found = await store.apiKeys.ownerOf(hashApiKey(key))
      if (!found) throw unauthorized('invalid API key')
      owner = found.owner
      if (ownersNow === ownersGeneration && store.ownersGeneration() === ownersNow) owners.set(key, owner)
    }
    request.auth = owner
    request.dataGeneration = generation
  }
}
