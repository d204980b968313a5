import { STATUS_CODES } from 'node:http'
import type { ErrorObject } from 'ajv'
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from '../../domain/errors.js'
import { isStoreUnavailable } from '../errors.js'

export const PROBLEM_CONTENT_TYPE = 'application/problem+json'

/** v2 errors are RFC 9457 problem documents: `{title, status, detail, errors?}`. */
export function problemBody(status: number, detail: string, errors?: string[]) {
  return { title: STATUS_CODES[status] ?? 'Error', status, detail, ...(errors ? { errors } : {}) }
}

export function sendProblem(reply: FastifyReply, status: number, detail: string, errors?: string[]) {
  return reply
    .code(status)
    .type(PROBLEM_CONTENT_TYPE)
    .send(problemBody(status, detail, errors))
}

const ROOTS: Record<string, string> = { body: '$', querystring: 'query', params: 'path', headers: 'header' }

/** One line per failed rule, JSON-path style: `$.gpu.count: must be >= 1`, `query.limit: …`. */
export function validationMessages(errors: readonly ErrorObject[], context = 'body'): string[] {
  const root = ROOTS[context] ?? context
  const messages = errors.map((e) => {
    const path = `${root}${e.instancePath.replace(/\//g, '.').replace(/~1/g, '/').replace(/~0/g, '~')}`
    switch (e.keyword) {
      case 'additionalProperties':
        return `${path}: additional properties '${e.params.additionalProperty}' not allowed`
      case 'required':
        return `${path}: missing property '${e.params.missingProperty}'`
      case 'enum':
        return `${path}: must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`
      default:
        return `${path}: ${e.message}`
    }
  })
  return [...new Set(messages)]
}

const FASTIFY_DETAILS: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed JSON body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'request body is empty but content-type is application/json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported content-type; send application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'request body is too large',
}

/**
 * v2's error rules: a request that breaks the contract (schema) is 422 with each violation listed;
 * one that keeps the contract but breaks a rule, or cannot be placed, is 400; an action the pod's
 * state does not allow is 409.
 */
export function v2ErrorHandler(error: FastifyError | ApiError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ApiError) {
    if (error.retryAfter !== undefined) reply.header('retry-after', String(error.retryAfter))
    if (error.kind === 'conflict') return sendProblem(reply, 409, error.message)
    if (error.kind === 'no-capacity') return sendProblem(reply, 400, error.message)
    return sendProblem(reply, error.status, error.message)
  }
  if (error.validation) {
    return sendProblem(
      reply,
      422,
      'Request validation failed.',
      validationMessages(error.validation as ErrorObject[], error.validationContext),
    )
  }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) {
    return sendProblem(reply, status, (error.code && FASTIFY_DETAILS[error.code]) || error.message)
  }
  if (isStoreUnavailable(error)) {
    request.log.warn({ err: error }, 'store unavailable')
    reply.header('retry-after', '1')
    return sendProblem(reply, 503, 'the store is unavailable just now; retry the request')
  }
  request.log.error({ err: error }, 'unhandled error')
  return sendProblem(reply, 500, 'internal server error')
}
