import { PodplaneNetworkError } from './errors.js'

/** One Server-Sent Event as the stream dispatched it. */
export interface ServerSentEvent {
  /** The stream's last event id at this event (SSE carries it over events without `id:`). */
  readonly id: string | undefined
  readonly event: string
  readonly data: string
}

/**
 * Parses a `text/event-stream` body (WHATWG HTML §9.2): `id`, `event` and `data` fields,
 * comments (keep-alives) skipped, a blank line dispatching. Leaving the loop early cancels
 * the body, which closes the connection.
 */
export async function* readServerSentEvents(
  response: Response,
  meta: { method: string; url: string; signal?: AbortSignal },
): AsyncGenerator<ServerSentEvent> {
  if (!response.body) return
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  let buffer = ''
  let lastId: string | undefined
  let event = ''
  let data: string[] = []
  let done = false

  function* lines(final: boolean): Generator<string> {
    for (;;) {
      const match = /\r\n|\r|\n/.exec(buffer)
      // A lone '\r' at the end may be the first half of '\r\n': wait for more unless final.
      if (!match || (!final && match[0] === '\r' && match.index === buffer.length - 1)) break
      yield buffer.slice(0, match.index)
      buffer = buffer.slice(match.index + match[0].length)
    }
    if (final && buffer !== '') {
      yield buffer
      buffer = ''
    }
  }

  function* take(line: string): Generator<ServerSentEvent> {
    if (line === '') {
      if (data.length > 0) yield { id: lastId, event: event || 'message', data: data.join('\n') }
      event = ''
      data = []
      return
    }
    if (line.startsWith(':')) return
    const colon = line.indexOf(':')
    const field = colon === -1 ? line : line.slice(0, colon)
    let value = colon === -1 ? '' : line.slice(colon + 1)
    if (value.startsWith(' ')) value = value.slice(1)
    if (field === 'data') data.push(value)
    else if (field === 'event') event = value
    else if (field === 'id' && !value.includes('\0')) lastId = value
  }

  try {
    while (!done) {
      let chunk: Awaited<ReturnType<typeof reader.read>>
      try {
        chunk = await reader.read()
      } catch (error) {
        if (meta.signal?.aborted) throw meta.signal.reason
        throw new PodplaneNetworkError(meta.method, meta.url, error)
      }
      done = chunk.done
      buffer += done ? decoder.decode() : decoder.decode(chunk.value, { stream: true })
      for (const line of lines(done)) yield* take(line)
    }
    // A stream that ends without a blank line drops the unfinished event (as EventSource does).
  } finally {
    if (!done) await reader.cancel().catch(() => undefined)
    reader.releaseLock()
  }
}
