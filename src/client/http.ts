import { errorFromBody, PodplaneNetworkError, PodplaneTimeoutError } from './errors.js'

/** Per-call settings every client method takes as its last argument. */
export interface RequestOptions {
  /** Cancels the call (and any wait between retries); the call rejects with the signal's reason. */
  readonly signal?: AbortSignal
  /** Overrides the client's `timeoutMs` for this call (per attempt; 0 or Infinity for none). */
  readonly timeoutMs?: number
  /** Overrides the client's `retries` for this call. */
  readonly retries?: number
  /** Extra request headers (e.g. your own `x-request-id`). */
  readonly headers?: Readonly<Record<string, string>>
}

/** What `onResponse` hears about every HTTP answer, retried ones included. */
export interface ResponseInfo {
  readonly method: string
  readonly url: string
  readonly status: number
  readonly requestId: string | undefined
  /** 0 for the first attempt. */
  readonly attempt: number
}

export interface TransportConfig {
  readonly baseUrl: string
  readonly apiKey: string | undefined
  readonly timeoutMs: number
  readonly retries: number
  readonly retryBaseDelayMs: number
  readonly maxRetryDelayMs: number
  readonly fetch: typeof fetch
  /** v1 repeats a key per value (`?gpuTypeId=a&gpuTypeId=b`); v2 joins them with commas. */
  readonly arrays: 'repeat' | 'comma'
  readonly onResponse: ((info: ResponseInfo) => void) | undefined
}

type Scalar = string | number | boolean
export type QueryValue = Scalar | readonly Scalar[] | null | undefined

interface Call extends RequestOptions {
  readonly query?: object
  readonly body?: unknown
}

const IDEMPOTENT = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS'])
const RETRY_STATUSES = new Set([429, 503])

/** `Retry-After` in ms: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined
  if (/^\s*\d+(\.\d+)?\s*$/.test(value)) return Number(value) * 1000
  const at = Date.parse(value)
  return Number.isNaN(at) ? undefined : Math.max(0, at - now)
}

/** Sleeps `ms`, or rejects with the signal's reason as soon as it aborts. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason)
  if (ms <= 0) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer)
      reject(signal?.reason)
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort)
      resolve()
    }, ms)
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

async function readBody(response: Response): Promise<unknown> {
  const text = await response.text()
  if (text === '') return undefined
  if (!(response.headers.get('content-type') ?? '').includes('json')) return text
  try {
    return JSON.parse(text)
  } catch {
    return text
  }
}

/** One API generation's HTTP: URLs, auth, timeouts, retries with backoff, error typing. */
export class Transport {
  readonly #config: TransportConfig

  constructor(config: TransportConfig) {
    this.#config = { ...config, baseUrl: config.baseUrl.replace(/\/+$/, '') }
  }

  get baseUrl(): string {
    return this.#config.baseUrl
  }

  url(path: string, query?: object): string {
    const params = new URLSearchParams()
    for (const [key, value] of Object.entries(query ?? {}) as [string, QueryValue][]) {
      if (value === undefined || value === null) continue
      if (Array.isArray(value)) {
        if (value.length === 0) continue
        if (this.#config.arrays === 'comma') params.append(key, value.join(','))
        else for (const v of value) params.append(key, String(v))
      } else params.append(key, String(value))
    }
    const search = params.toString()
    return `${this.#config.baseUrl}${path}${search === '' ? '' : `?${search}`}`
  }

  /** A JSON call: the parsed body on 2xx (undefined for 204), a typed error otherwise. */
  async json<T>(method: string, path: string, call: Call = {}): Promise<T> {
    return (await this.#send(method, path, call, false)) as T
  }

  /**
   * A streaming call: the open `Response` once its headers arrived with a 2xx. The timeout
   * covers only the wait for the headers; the caller's signal covers the whole stream.
   */
  async stream(method: string, path: string, call: Call = {}): Promise<Response> {
    return (await this.#send(method, path, call, true)) as Response
  }

  async #send(method: string, path: string, call: Call, streaming: boolean): Promise<unknown> {
    const config = this.#config
    const url = this.url(path, call.query)
    const retries = Math.max(0, call.retries ?? config.retries)
    const timeoutMs = call.timeoutMs ?? config.timeoutMs
    const headers: Record<string, string> = {
      accept: streaming ? 'text/event-stream' : 'application/json',
      ...(config.apiKey ? { authorization: `Bearer ${config.apiKey}` } : {}),
      ...(call.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...call.headers,
    }
    const body = call.body === undefined ? undefined : JSON.stringify(call.body)

    for (let attempt = 0; ; attempt++) {
      if (call.signal?.aborted) throw call.signal.reason
      const timeout = new AbortController()
      // 0 or Infinity: no timeout (setTimeout would fire at once for either).
      const timer =
        timeoutMs > 0 && Number.isFinite(timeoutMs) ? setTimeout(() => timeout.abort(), timeoutMs) : undefined
      const signal = call.signal ? AbortSignal.any([call.signal, timeout.signal]) : timeout.signal
      let response: Response
      let parsed: unknown
      try {
        response = await config.fetch(url, { method, headers, body, signal })
        if (streaming && response.ok) {
          clearTimeout(timer)
          config.onResponse?.({
            method,
            url,
            status: response.status,
            requestId: requestIdOf(response),
            attempt,
          })
          return response
        }
        parsed = await readBody(response)
      } catch (error) {
        clearTimeout(timer)
        if (call.signal?.aborted) throw call.signal.reason
        if (timeout.signal.aborted) throw new PodplaneTimeoutError(method, url, timeoutMs)
        if (IDEMPOTENT.has(method) && attempt < retries) {
          await sleep(this.#backoff(attempt), call.signal)
          continue
        }
        throw new PodplaneNetworkError(method, url, error)
      }
      clearTimeout(timer)
      const requestId = requestIdOf(response)
      config.onResponse?.({ method, url, status: response.status, requestId, attempt })
      if (response.ok) return parsed

      const retryAfterHeader = retryAfterMs(response.headers.get('retry-after'))
      const error = errorFromBody(response.status, parsed, {
        method,
        url,
        requestId,
        retryAfter: retryAfterHeader === undefined ? undefined : retryAfterHeader / 1000,
      })
      if (!RETRY_STATUSES.has(response.status) || attempt >= retries) throw error
      const delay = retryAfterHeader ?? this.#backoff(attempt)
      // A quota that turns in an hour is an answer, not something to wait for.
      if (delay > config.maxRetryDelayMs) throw error
      await sleep(delay, call.signal)
    }
  }

  /** Exponential backoff with jitter: base·2^attempt, scaled by a random 50–100 %, capped. */
  #backoff(attempt: number): number {
    const { retryBaseDelayMs, maxRetryDelayMs } = this.#config
    const ceiling = Math.min(maxRetryDelayMs, retryBaseDelayMs * 2 ** attempt)
    return Math.round(ceiling * (0.5 + Math.random() / 2))
  }
}

function requestIdOf(response: Response): string | undefined {
  return response.headers.get('x-request-id') ?? undefined
}
