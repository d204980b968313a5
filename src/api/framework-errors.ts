import { maxHeaderSize, STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { ConnectionError, FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { ERROR_CONTENT_TYPE, errorBody, sendError } from './errors.js'
import { PROBLEM_CONTENT_TYPE, problemBody, sendProblem } from './v2/problem.js'

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

/** What Node's HTTP parser refuses before any request exists, as Fastify's default handler sorts it. */
function clientErrorStatus(error: ConnectionError): { status: number; message: string } {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return { status: 408, message: 'the request took too long to arrive' }
  if (error.code === 'HPE_HEADER_OVERFLOW')
    return { status: 431, message: `the request headers are too large (${maxHeaderSize} bytes at most)` }
  return { status: 400, message: 'malformed HTTP request' }
}

/**
 * Requests Node's HTTP parser refuses (headers over its 16 KiB limit, malformed HTTP, a request
 * that never finished arriving): Fastify's own `clientErrorHandler` answers these in its shape;
 * this one answers in the error shape of the API the request line names (read from the bytes
 * received, as no request exists yet), then closes the connection as Node does.
 */
export function clientErrorHandler(error: ConnectionError, socket: Socket) {
  if (error.code === 'ECONNRESET' || socket.destroyed) return
  const { status, message } = clientErrorStatus(error)
  // Node hands over the bytes received as a Buffer (Fastify's type says otherwise).
  const received: unknown = error.rawPacket
  const requestLine = Buffer.isBuffer(received) ? received.subarray(0, 64).toString('latin1') : ''
  const [type, body] = /^[A-Z]+ \/v2\//.test(requestLine)
    ? [PROBLEM_CONTENT_TYPE, JSON.stringify(problemBody(status, message))]
    : [ERROR_CONTENT_TYPE, JSON.stringify(errorBody(status, message))]
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: ${type}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    )
  }
  socket.destroy(error)
}
