import { Ajv, type ErrorObject } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

/**
 * Two validators. Query strings and path parameters arrive as text, so they are coerced
 * ("true" → true, one value → a list). JSON bodies are not: `"gpuCount": "2"` is a wrong type
 * and gets a 400, as a strict API should answer. Neither removes nor rejects unknown fields:
 * v1 ignores them as RunPod does (clients send `limit`, `cursor`, fields of newer versions).
 */
const textParts = new Ajv({ coerceTypes: 'array', useDefaults: true, removeAdditional: false, strict: false })
const jsonBody = new Ajv({ coerceTypes: false, useDefaults: false, removeAdditional: false, strict: false })
addFormats.default(textParts)
addFormats.default(jsonBody)

export const validatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? jsonBody : textParts).compile(schema)

const PART_NAMES: Record<string, string> = {
  body: 'body',
  querystring: 'query parameter',
  params: 'path parameter',
  headers: 'header',
}

/** One readable sentence for a failed validation, naming the field: "gpuCount must be integer". */
export function describeValidationError(errors: readonly ErrorObject[], context: string | undefined): string {
  const e = errors[0]
  if (!e) return 'invalid request'
  const path = e.instancePath
    .split('/')
    .filter(Boolean)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
  if (e.keyword === 'required') path.push(String(e.params.missingProperty))
  if (e.keyword === 'additionalProperties') path.push(String(e.params.additionalProperty))
  const field = path.join('.')
  const where = PART_NAMES[context ?? ''] ?? context ?? 'request'
  switch (e.keyword) {
    case 'required':
      return `${where} ${field} is required`
    case 'additionalProperties':
      return `${where} ${field} is not a known field`
    case 'enum':
      return `${where} ${field} must be one of: ${(e.params.allowedValues as unknown[]).join(', ')}`
    case 'type':
      return field === '' ? `${where} must be ${e.params.type}` : `${where} ${field} must be ${e.params.type}`
    default:
      return field === '' ? `${where} ${e.message}` : `${where} ${field} ${e.message}`
  }
}
