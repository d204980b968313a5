import { createHmac, timingSafeEqual } from 'node:crypto'
import { ApiError } from '../../../domain/errors.js'

/** Where a page ended: the last pod's creation time and id (the list's sort key). */
export interface PagePosition {
  readonly createdAt: number
  readonly id: string
}

const invalidCursor = () =>
  new ApiError(422, 'cursor: not a cursor this query issued; start again without a cursor')

function mac(key: Buffer, scope: string, payload: string): Buffer {
  return createHmac('sha256', key).update(scope).update('\u0000').update(payload).digest().subarray(0, 16)
}

/**
 * Opaque cursors: the position, signed together with who asked and which query, so a cursor is
 * accepted only by the user and query that were given it. `scope` names both.
 */
export function encodeCursor(key: Buffer, scope: string, position: PagePosition): string {
  const payload = Buffer.from(JSON.stringify([position.createdAt, position.id])).toString('base64url')
  return `${payload}.${mac(key, scope, payload).toString('base64url')}`
}

/** The position a cursor names; a 422 when it was not issued for this scope or was altered. */
export function decodeCursor(key: Buffer, scope: string, cursor: string): PagePosition {
  const [payload, signature, ...rest] = cursor.split('.')
  if (!payload || !signature || rest.length > 0) throw invalidCursor()
  const expected = mac(key, scope, payload)
  const given = Buffer.from(signature, 'base64url')
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalidCursor()
  const [createdAt, id] = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as [number, string]
  return { createdAt, id }
}
