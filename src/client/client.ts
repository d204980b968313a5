import { type ResponseInfo, Transport } from './http.js'
import { V1Client } from './v1.js'
import { V2Client } from './v2.js'

export interface PodplaneClientOptions {
  /** The podplane server's root. Default: env `PODPLANE_API_URL`, else `http://127.0.0.1:8080`. */
  readonly baseUrl?: string
  /** v1's root. Default: `${baseUrl}/v1`. */
  readonly v1Url?: string
  /** v2's root. Default: `${baseUrl}/v2`. */
  readonly v2Url?: string
  /** Sent as `Authorization: Bearer …`. Default: env `PODPLANE_API_KEY`, else `RUNPOD_API_KEY`. */
  readonly apiKey?: string
  /**
   * Time for one attempt to answer, in ms (for log streams: until the stream opens). Default
   * 30 000; 0 or Infinity for none.
   */
  readonly timeoutMs?: number
  /**
   * Retries after the first attempt. Default 3. 429 and 503 are retried for every method (after
   * `Retry-After` when sent, else exponential backoff with jitter); network errors only for GET,
   * HEAD, PUT, DELETE and OPTIONS. Other statuses and timeouts are never retried.
   */
  readonly retries?: number
  /** First backoff step in ms (doubling each retry, 50–100 % jitter). Default 500. */
  readonly retryBaseDelayMs?: number
  /** Longest wait before a retry, in ms; a longer `Retry-After` fails the call at once. Default 60 000. */
  readonly maxRetryDelayMs?: number
  /** The `fetch` to use. Default: the global one. */
  readonly fetch?: typeof fetch
  /** Hears every HTTP answer (retried attempts included): for logging and metrics. */
  readonly onResponse?: (info: ResponseInfo) => void
}

const env = (name: string): string | undefined =>
  (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name] || undefined

/**
 * A typed client for podplane's (and RunPod's) REST APIs: `client.v1` speaks v1, `client.v2`
 * speaks v2, over the same pods.
 *
 * @example
 * import { PodplaneClient } from 'podplane/client'
 * const client = new PodplaneClient({ baseUrl: 'http://127.0.0.1:8080', apiKey: process.env.KEY })
 * const pod = await client.v2.pods.create({ name: 'trainer', image: 'runpod/base:0.6.2', gpu: { id: 'NVIDIA A40' } })
 * for await (const p of client.v2.pods.list()) console.log(p.id, p.status)
 */
export class PodplaneClient {
  readonly v1: V1Client
  readonly v2: V2Client
  readonly v1Url: string
  readonly v2Url: string

  constructor(options: PodplaneClientOptions = {}) {
    const baseUrl = (options.baseUrl ?? env('PODPLANE_API_URL') ?? 'http://127.0.0.1:8080').replace(
      /\/+$/,
      '',
    )
    this.v1Url = options.v1Url ?? `${baseUrl}/v1`
    this.v2Url = options.v2Url ?? `${baseUrl}/v2`
    const common = {
      apiKey: options.apiKey ?? env('PODPLANE_API_KEY') ?? env('RUNPOD_API_KEY'),
      timeoutMs: options.timeoutMs ?? 30_000,
      retries: options.retries ?? 3,
      retryBaseDelayMs: options.retryBaseDelayMs ?? 500,
      maxRetryDelayMs: options.maxRetryDelayMs ?? 60_000,
      fetch: options.fetch ?? ((...args: Parameters<typeof fetch>) => globalThis.fetch(...args)),
      onResponse: options.onResponse,
    }
    this.v1 = new V1Client(new Transport({ ...common, baseUrl: this.v1Url, arrays: 'repeat' }))
    this.v2 = new V2Client(new Transport({ ...common, baseUrl: this.v2Url, arrays: 'comma' }))
  }

  /**
   * A client for RunPod itself: v1 at `https://rest.runpod.io/v1`, v2 at `https://api.runpod.io/v2`,
   * with `RUNPOD_API_KEY` unless `apiKey` is given.
   * @example const runpod = PodplaneClient.runpod({ apiKey: process.env.RUNPOD_API_KEY })
   */
  static runpod(options: Omit<PodplaneClientOptions, 'baseUrl' | 'v1Url' | 'v2Url'> = {}): PodplaneClient {
    return new PodplaneClient({
      ...options,
      apiKey: options.apiKey ?? env('RUNPOD_API_KEY'),
      v1Url: RUNPOD_V1_URL,
      v2Url: RUNPOD_V2_URL,
    })
  }
}

export const RUNPOD_V1_URL = 'https://rest.runpod.io/v1'
export const RUNPOD_V2_URL = 'https://api.runpod.io/v2'
