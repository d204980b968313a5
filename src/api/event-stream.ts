import { PassThrough } from 'node:stream'
import type { FastifyReply, FastifyRequest } from 'fastify'

export interface PollingStreamOptions {
  /** Events to send at once. */
  readonly first: string
  /**
   * What to send next: events as text ('' for nothing new), or null to end the stream. Runs every
   * `intervalMs`, never two at once; a throw ends the stream too (and is logged).
   */
  readonly poll?: () => Promise<string | null>
  readonly intervalMs?: number
  /** A comment goes out after this long without events, so proxies keep the connection. */
  readonly keepAliveMs?: number
}

/**
 * Answers with a Server-Sent Events stream fed by polling the store, until the client leaves or
 * `poll` says the stream is over. Without `poll` it sends `first` and ends.
 */
export function sendPollingStream(
  request: FastifyRequest,
  reply: FastifyReply,
  { first, poll, intervalMs = 1000, keepAliveMs = 15_000 }: PollingStreamOptions,
): FastifyReply {
  const stream = new PassThrough()
  stream.write(first)
  reply
    .type('text/event-stream')
    .header('cache-control', 'no-cache')
    .header('connection', 'keep-alive')
    .header('x-accel-buffering', 'no')
  if (!poll) {
    stream.end()
    return reply.send(stream)
  }
  let quietSince = Date.now()
  let polling = false
  const timer = setInterval(async () => {
    if (polling) return
    polling = true
    try {
      const next = await poll()
      if (next === null) return stop()
      if (next !== '') {
        stream.write(next)
        quietSince = Date.now()
      } else if (Date.now() - quietSince >= keepAliveMs) {
        stream.write(': keep-alive\n\n')
        quietSince = Date.now()
      }
    } catch (error) {
      request.log.warn({ err: error, url: request.url }, 'event stream stopped')
      stop()
    } finally {
      polling = false
    }
  }, intervalMs)
  const stop = () => {
    clearInterval(timer)
    stream.end()
  }
  request.raw.once('close', stop)
  return reply.send(stream)
}
