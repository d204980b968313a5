import { Ajv } from 'ajv'
import addFormats from 'ajv-formats'
import type { FastifySchemaCompiler } from 'fastify'

/**
 * v2's validators report every violation at once (`allErrors`), so a 422 lists them all. Query
 * strings and path parameters arrive as text and are coerced; JSON bodies are taken as sent,
 * and their schemas close every object (`additionalProperties: false`) so unknown fields are
 * named in the 422 instead of being ignored as v1 does.
 */
const textParts = new Ajv({ allErrors: true, coerceTypes: 'array', useDefaults: true, strict: false })
const jsonBody = new Ajv({ allErrors: true, coerceTypes: false, useDefaults: false, strict: false })
addFormats.default(textParts)
addFormats.default(jsonBody)

export const v2ValidatorCompiler: FastifySchemaCompiler<object> = ({ schema, httpPart }) =>
  (httpPart === 'body' ? jsonBody : textParts).compile(schema)
