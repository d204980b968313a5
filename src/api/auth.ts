import type { FastifyReply, FastifyRequest } from 'fastify'
import { hashApiKey } from '../domain/api-keys.js'
import type { KeyOwner } from '../store/api-keys.js'
import type { Store } from '../store/store.js'
import { sendError } from './errors.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the API key belongs to; set on every authenticated route. */
    auth: KeyOwner
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i

/** `Authorization: Bearer <key>` → the key's owner, or a 401 in RunPod's error shape. */
export function authenticate(store: Store) {
  return async function authenticateRequest(request: FastifyRequest, reply: FastifyReply) {
    const header = request.headers.authorization
    if (!header)
      return sendError(reply, 401, 'missing API key: send the header "Authorization: Bearer <key>"')
    const match = BEARER.exec(header)
    if (!match) return sendError(reply, 401, 'malformed Authorization header: expected "Bearer <key>"')
    const owner = await store.apiKeys.ownerOf(hashApiKey(match[1]!))
    if (!owner) return sendError(reply, 401, 'invalid API key')
    request.auth = owner
  }
}
