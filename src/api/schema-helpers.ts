import Type, { type TSchema, type TUnsafe } from 'typebox'

/** A string limited to `values`, as OpenAPI writes it (`type` + `enum`). */
export function StringEnum<const T extends readonly string[]>(
  values: T,
  options: Record<string, unknown> = {},
): TUnsafe<T[number]> {
  return Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options })
}

/** OpenAPI 3.0's `nullable: true`, understood by Ajv and by fast-json-stringify. */
export function Nullable<T extends TSchema>(schema: T): TUnsafe<Type.Static<T> | null> {
  return Type.Unsafe<Type.Static<T> | null>({ ...schema, nullable: true })
}

/** A JSON object whose values all match `value` (env maps, port mappings). */
export function MapOf<T extends TSchema>(value: T, options: Record<string, unknown> = {}) {
  return Type.Unsafe<Record<string, Type.Static<T>>>({
    type: 'object',
    additionalProperties: value,
    ...options,
  })
}

/** RunPod's error body: `{"error": "…", "status": 400}`. */
export const ErrorBody = Type.Object({
  error: Type.String(),
  status: Type.Integer(),
})

/** Marks a field RunPod's spec does not have, so the served OpenAPI tells podplane's additions apart. */
export function Extension<T extends TSchema>(schema: T, description?: string): TUnsafe<Type.Static<T>> {
  return Type.Unsafe<Type.Static<T>>({
    ...schema,
    'x-podplane': true,
    ...(description ? { description } : {}),
  })
}
