import type { FastifyReply } from 'fastify'
import Type, { type TSchema, type TUnsafe } from 'typebox'

/**
 * Schema pieces shared by the v2 routes. v2 is OpenAPI 3.1 (JSON Schema 2020-12): a nullable
 * value is `type: [T, "null"]` or `anyOf [T, null]`, never 3.0's `nullable`.
 */

/** `T | null` for a scalar or object schema. */
export function OrNull<T extends TSchema>(schema: T): TUnsafe<Type.Static<T> | null> {
  const s = schema as unknown as Record<string, unknown>
  if (typeof s.type === 'string' && s.type !== 'object' && s.type !== 'array') {
    return Type.Unsafe<Type.Static<T> | null>({ ...s, type: [s.type, 'null'] })
  }
  return Type.Unsafe<Type.Static<T> | null>({ anyOf: [schema, { type: 'null' }] })
}

/** A string limited to `values` (`type` + `enum`). */
export function Enum<const T extends readonly string[]>(
  values: T,
  options: Record<string, unknown> = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })
}

/** A JSON object of string values (env maps). */
export const StringMap = Type.Unsafe<Record<string, string>>({
  type: 'object',
  additionalProperties: { type: 'string', maxLength: 32_768 },
})

/** RFC 9457 problem body, the shape of every v2 error. */
export const Problem = Type.Object({
  title: Type.String(),
  status: Type.Integer(),
  detail: Type.String(),
  errors: Type.Optional(Type.Array(Type.String())),
})

/** Error responses a route documents, all problem+json. */
export function problems(...statuses: number[]): Record<number, typeof Problem> {
  return Object.fromEntries(statuses.map((s) => [s, Problem]))
}

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 191 }) })

/** Names users give resources; long enough for any real name, short enough to index. */
export const NAME = Type.String({ minLength: 1, maxLength: 191 })

export const iso = (ms: number) => new Date(ms).toISOString()
export const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms))

/** 204 with no body, as v2's deletes answer. */
export function noContent(reply: FastifyReply) {
  return reply.code(204).send()
}
