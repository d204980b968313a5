import type {
  DesiredState,
  Heartbeat,
  HeartbeatAck,
  Inventory,
  LogBatch,
  PodReport,
  Registered,
  RegistryCredential,
} from './protocol.js'
import { EventStreamParser, type ServerEvent } from './sse.js'

const REQUEST_TIMEOUT_MS = 30_000

/** A non-2xx answer from the control plane, with its own message. */
export class ControlPlaneError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message)
  }
}

/** 401 on a machine route: the credential was revoked or the machine removed. */
export class CredentialRejectedError extends ControlPlaneError {}

/** POST /agent/v1/register with a join token: the machine id and the credential for every later call. */
export async function register(server: string, joinToken: string, inventory: Inventory): Promise<Registered> {
  return (await request(server, joinToken, 'POST', '/register', inventory)) as Registered
}

/**
 * The machine's HTTP client for `/agent/v1`. Any 401 calls `onRejected` (the agent stops) and
 * throws {@link CredentialRejectedError}.
 */
export class ControlPlane {
  constructor(
    private readonly server: string,
    private readonly credential: string,
    private readonly onRejected: (error: CredentialRejectedError) => void = () => {},
  ) {}

  async putInventory(inventory: Inventory): Promise<void> {
    await this.call('PUT', '/inventory', inventory)
  }

  async heartbeat(heartbeat: Heartbeat): Promise<HeartbeatAck> {
    return (await this.call('POST', '/heartbeat', heartbeat)) as HeartbeatAck
  }

  async desiredState(): Promise<DesiredState> {
    return (await this.call('GET', '/pods')) as DesiredState
  }

  async registryAuth(podId: string): Promise<RegistryCredential> {
    return (await this.call('GET', `/pods/${encodeURIComponent(podId)}/registry-auth`)) as RegistryCredential
  }

  /** A 404 means the pod left this machine: nothing to tell anymore. */
  async report(podId: string, report: PodReport): Promise<void> {
    await ignoringGone(this.call('POST', `/pods/${encodeURIComponent(podId)}/status`, report))
  }

  async shipLogs(podId: string, batch: LogBatch): Promise<void> {
    await ignoringGone(this.call('POST', `/pods/${encodeURIComponent(podId)}/logs`, batch))
  }

  /**
   * Follows GET /pods/watch until the stream ends (resolves) or fails (rejects). `onOpen` runs once
   * the server accepted the stream, `onEvent` for every event.
   */
  async watch(options: {
    lastEventId: string | null
    signal: AbortSignal
    onOpen: () => void
    onEvent: (event: ServerEvent) => void
  }): Promise<void> {
    const response = await fetch(`${this.server}/agent/v1/pods/watch`, {
      headers: {
        accept: 'text/event-stream',
        authorization: `Bearer ${this.credential}`,
        ...(options.lastEventId === null ? {} : { 'last-event-id': options.lastEventId }),
      },
      signal: options.signal,
    })
    if (!response.ok || !response.body) throw this.failure(response.status, await errorMessage(response))
    options.onOpen()
    const parser = new EventStreamParser(options.onEvent)
    const decoder = new TextDecoder()
    for await (const chunk of response.body) parser.push(decoder.decode(chunk, { stream: true }))
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    try {
      return await request(this.server, this.credential, method, path, body)
    } catch (error) {
      if (error instanceof ControlPlaneError && error.status === 401) throw this.failure(401, error.message)
      throw error
    }
  }

  private failure(status: number, message: string): ControlPlaneError {
    if (status !== 401) return new ControlPlaneError(status, message)
    const error = new CredentialRejectedError(status, message)
    this.onRejected(error)
    return error
  }
}

async function request(
  server: string,
  bearer: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<unknown> {
  const response = await fetch(`${server}/agent/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${bearer}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  })
  if (!response.ok) throw new ControlPlaneError(response.status, await errorMessage(response))
  const text = await response.text()
  return text ? JSON.parse(text) : undefined
}

/** `{"error":"machine not found","status":404}` → `404 machine not found`. */
async function errorMessage(response: Response): Promise<string> {
  const text = await response.text().catch(() => '')
  let message = text.slice(0, 500)
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown }
    message = String(parsed.error ?? parsed.message ?? message)
  } catch {}
  return `${response.status} ${message || response.statusText}`.trim()
}

async function ignoringGone(call: Promise<unknown>): Promise<void> {
  try {
    await call
  } catch (error) {
    if (!(error instanceof ControlPlaneError && error.status === 404)) throw error
  }
}
