import { PodplaneClient } from '../../src/client/index.js'

/** Where the API key lives: session storage, so it goes with the tab and sign-out clears it. */
const KEY = 'podplane.apiKey'

export function storedKey(): string | null {
  return sessionStorage.getItem(KEY)
}

export function storeKey(key: string): void {
  sessionStorage.setItem(KEY, key)
}

export function clearKey(): void {
  sessionStorage.removeItem(KEY)
}

/** A typed client for this origin's API with the given key. */
export function clientFor(apiKey: string): PodplaneClient {
  return new PodplaneClient({ baseUrl: location.origin, apiKey, retries: 1, timeoutMs: 20_000 })
}
