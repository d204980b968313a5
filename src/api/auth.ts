import type { FastifyRequest } from 'fastify'
import { hashApiKey } from '../domain/api-keys.js'
import { unauthorized } from '../domain/errors.js'
import type { KeyOwner } from '../store/api-keys.js'
import type { Store } from '../store/store.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the API key belongs to; set on every authenticated route. */
    auth: KeyOwner
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i

/**
 * `Authorization: Bearer <key>` → the key's owner. Failures are 401s, rendered by each API
 * version's error handler in its own shape.
 */
export function authenticate(store: Store) {
  return async function authenticateRequest(request: FastifyRequest) {
    const header = request.headers.authorization
    if (!header) throw unauthorized('missing API key: send the header "Authorization: Bearer <key>"')
    const match = BEARER.exec(header)
    if (!match) throw unauthorized('malformed Authorization header: expected "Bearer <key>"')
    const owner = await store.apiKeys.ownerOf(hashApiKey(match[1]!))
    if (!owner) throw unauthorized('invalid API key')
    request.auth = owner
  }
}
