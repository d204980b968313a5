import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { sendError } from './errors.js'
import { sendProblem } from './v2/problem.js'

/** Fastify's default for a path parameter's length, which the server keeps. */
export const MAX_PATH_PARAMETER_LENGTH = 100

const MESSAGES: Record<string, string> = {
  FST_ERR_BAD_URL: 'malformed URL: a path segment is not valid percent-encoding',
  FST_ERR_MAX_PARAM_LENGTH: `a path segment is longer than ${MAX_PATH_PARAMETER_LENGTH} characters`,
}

/**
 * URLs the router refuses before any route runs (Fastify's `frameworkErrors`): answered in the
 * error shape of the API the path names, like every other refusal, without echoing the URL.
 */
export function frameworkErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const status = error.statusCode ?? 400
  const message = MESSAGES[error.code] ?? 'malformed request'
  return request.url.startsWith('/v2/')
    ? sendProblem(reply, status, message)
    : sendError(reply, status, message)
}
