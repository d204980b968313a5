import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from '../domain/errors.js'
import { describeValidationError } from './validation.js'

export const ERROR_CONTENT_TYPE = 'application/json; charset=utf-8'

/** The wire form of every error: RunPod's `{"error": "…", "status": N}`. */
export function errorBody(status: number, message: string) {
  return { error: message, status }
}

/** Answers with `status` and the error body, as JSON whatever the route's own content type. */
export function sendError(reply: FastifyReply, status: number, message: string): FastifyReply {
  return reply.code(status).type(ERROR_CONTENT_TYPE).send(errorBody(status, message))
}

const FASTIFY_MESSAGES: Record<string, string> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'malformed JSON body',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'request body is empty but content-type is application/json',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported content-type; send application/json',
  FST_ERR_CTP_BODY_TOO_LARGE: 'request body is too large',
}

/** Errors that mean the store could not answer just now (connection lost, timeout, lock): retryable. */
const TRANSIENT_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  '08000', // connection_exception
  '08001',
  '08003',
  '08004',
  '08006',
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '53300', // too_many_connections
  '57014', // query_canceled (statement timeout)
  '57P01', // admin_shutdown
  '57P02',
  '57P03', // cannot_connect_now
  'SQLITE_BUSY',
])
const TRANSIENT_MESSAGES =
  /Connection terminated|timeout exceeded when trying to connect|connection error|Cannot use a pool after calling end/i

export function isStoreUnavailable(error: { code?: string; message?: string }): boolean {
  return (
    (error.code !== undefined && TRANSIENT_CODES.has(error.code)) ||
    TRANSIENT_MESSAGES.test(error.message ?? '')
  )
}

export function errorHandler(error: FastifyError | ApiError, request: FastifyRequest, reply: FastifyReply) {
  if (error instanceof ApiError) {
    // "No instances" is an answer, not a fault: it stays out of warnings.
    if (error.status >= 500) request.log.debug({ err: error }, error.message)
    return sendError(reply, error.status, error.message)
  }
  if (error.validation) {
    return sendError(reply, 400, describeValidationError(error.validation as never, error.validationContext))
  }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) {
    const known = error.code ? FASTIFY_MESSAGES[error.code] : undefined
    const detail = error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ? `: ${error.message}` : ''
    return sendError(reply, status, known ? `${known}${detail}` : error.message)
  }
  if (isStoreUnavailable(error)) {
    request.log.warn({ err: error }, 'store unavailable')
    reply.header('retry-after', '1')
    return sendError(reply, 503, 'the store is unavailable just now; retry the request')
  }
  request.log.error({ err: error }, 'unhandled error')
  return sendError(reply, 500, 'internal server error')
}

export function notFoundHandler(request: FastifyRequest, reply: FastifyReply) {
  return sendError(reply, 404, `route not found: ${request.method} ${request.url.split('?')[0]}`)
}
