import { setTimeout as sleep } from 'node:timers/promises'
import { ControlPlane, ControlPlaneError, type CredentialRejectedError, register } from './control-plane.js'
import {
  loadCredential,
  normalizeServer,
  type SavedCredential,
  sameServer,
  saveCredential,
} from './credentials.js'
import type { Logger } from './logger.js'
import type { Inventory } from './protocol.js'

const MAX_BACKOFF_MS = 30_000

export interface IdentifyInput {
  server: string
  token?: string
  stateDir: string
  /** Collected only once it is known whom to send it to. */
  inventory: () => Promise<Inventory>
  logger: Logger
  signal: AbortSignal
  onRejected: (error: CredentialRejectedError) => void
}

/**
 * The machine's identity: the saved credential for this server, with the inventory brought up to
 * date (PUT /inventory), or a new registration with the join token (POST /register), saved.
 * Waits out an unreachable server; null when `signal` aborts first.
 */
export async function identify(input: IdentifyInput): Promise<SavedCredential | null> {
  const server = normalizeServer(input.server)
  const saved = await loadCredential(input.stateDir)
  if (saved && sameServer(saved.server, server)) {
    const controlPlane = new ControlPlane(server, saved.credential, input.onRejected)
    const inventory = await input.inventory()
    const updated = await retrying(input, 'updating the inventory', () =>
      controlPlane.putInventory(inventory),
    )
    return updated ? { ...saved, server } : null
  }
  if (!input.token)
    throw new Error(
      saved
        ? `the saved credential is for ${saved.server}: pass --token <joinToken> to register with ${server}`
        : 'this machine is not registered yet: pass --token <joinToken> from the control plane',
    )
  const token = input.token
  const inventory = await input.inventory()
  const registered = await retrying(input, 'registering', () => register(server, token, inventory))
  if (!registered) return null
  const identity = { server, machineId: registered.value.machineId, credential: registered.value.credential }
  await saveCredential(input.stateDir, identity)
  input.logger.info(`registered as machine ${identity.machineId}`)
  return identity
}

/** Retries while the server is unreachable or failing (5xx); its refusals (4xx) throw. */
async function retrying<T>(
  input: IdentifyInput,
  what: string,
  call: () => Promise<T>,
): Promise<{ value: T } | null> {
  for (let attempt = 1; !input.signal.aborted; attempt++) {
    try {
      return { value: await call() }
    } catch (error) {
      if (input.signal.aborted) break
      if (error instanceof ControlPlaneError && error.status < 500) throw error
      input.logger.warn(`${what} failed, retrying: ${(error as Error).message}`)
    }
    await sleep(Math.min(MAX_BACKOFF_MS, 1000 * 2 ** (attempt - 1)), undefined, {
      signal: input.signal,
    }).catch(() => {})
  }
  return null
}
