/**
 * What a client call throws. An answer from the server with a 4xx/5xx status is a
 * `PodplaneError`; no answer at all is a `PodplaneNetworkError`, or a `PodplaneTimeoutError`
 * when the call ran out of time. A call the caller aborted rejects with the signal's reason,
 * as `fetch` does.
 *
 * @example
 * try {
 *   await client.v2.pods.get('nope')
 * } catch (error) {
 *   if (error instanceof PodplaneError && error.status === 404) console.log(error.message, error.requestId)
 * }
 */
export class PodplaneError extends Error {
  override readonly name: string = 'PodplaneError'
  /** The HTTP status. */
  readonly status: number
  /** v2 validation failures, one line per field (`$.gpu.count: must be >= 1`); empty otherwise. */
  readonly errors: readonly string[]
  /** v2's problem `title` (`Not Found`), when the body had one. */
  readonly title: string | undefined
  /** The server's `x-request-id` for this answer: quote it when reporting a problem. */
  readonly requestId: string | undefined
  /** The body as sent: parsed JSON when it was JSON, else the text. */
  readonly body: unknown
  readonly method: string
  readonly url: string
  /** Seconds from `Retry-After`, when the server sent one. */
  readonly retryAfter: number | undefined

  constructor(init: {
    status: number
    message: string
    errors?: readonly string[]
    title?: string
    requestId?: string
    body: unknown
    method: string
    url: string
    retryAfter?: number
  }) {
    super(init.message)
    this.status = init.status
    this.errors = init.errors ?? []
    this.title = init.title
    this.requestId = init.requestId
    this.body = init.body
    this.method = init.method
    this.url = init.url
    this.retryAfter = init.retryAfter
  }
}

/** The request got no answer: connection refused or reset, DNS failure, a body cut short. */
export class PodplaneNetworkError extends Error {
  override readonly name: string = 'PodplaneNetworkError'
  readonly method: string
  readonly url: string

  constructor(method: string, url: string, cause: unknown) {
    super(`${method} ${url}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause })
    this.method = method
    this.url = url
  }
}

/** No answer within `timeoutMs` (per attempt). Timeouts are not retried. */
export class PodplaneTimeoutError extends Error {
  override readonly name: string = 'PodplaneTimeoutError'
  readonly method: string
  readonly url: string
  readonly timeoutMs: number

  constructor(method: string, url: string, timeoutMs: number) {
    super(`${method} ${url}: no answer within ${timeoutMs} ms`)
    this.method = method
    this.url = url
    this.timeoutMs = timeoutMs
  }
}

/** The message of an error body: v1's `{error, status}` or v2's problem+json `{title, status, detail, errors}`. */
export function errorFromBody(
  status: number,
  body: unknown,
  meta: { method: string; url: string; requestId?: string; retryAfter?: number },
): PodplaneError {
  let message = `HTTP ${status}`
  let errors: string[] | undefined
  let title: string | undefined
  if (body !== null && typeof body === 'object') {
    const b = body as Record<string, unknown>
    if (typeof b.detail === 'string') message = b.detail
    else if (typeof b.error === 'string') message = b.error
    else if (typeof b.message === 'string') message = b.message
    else if (typeof b.title === 'string') message = b.title
    if (typeof b.title === 'string') title = b.title
    if (Array.isArray(b.errors)) errors = b.errors.map(String)
  } else if (typeof body === 'string' && body.trim() !== '') {
    message = body.trim().slice(0, 500)
  }
  return new PodplaneError({ status, message, errors, title, body, ...meta })
}
