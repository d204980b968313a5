import type { AddressInfo } from 'node:net'
import { PodplaneClient, type PodplaneClientOptions } from '../../src/client/index.js'
import { createTestApp, type TestApp, type TestAppOptions } from '../helpers/app.js'

export interface ServedApp {
  readonly t: TestApp
  /** The server root, e.g. http://127.0.0.1:43125. */
  readonly url: string
  readonly key: string
  /** A client for alice on the real port. */
  readonly client: PodplaneClient
  clientFor(options?: PodplaneClientOptions): PodplaneClient
  close(): Promise<void>
}

/** A test app listening on a real port (127.0.0.1, any free port), with a client for alice. */
export async function serveTestApp(options: TestAppOptions = {}): Promise<ServedApp> {
  const t = await createTestApp(options)
  await t.app.listen({ port: 0, host: '127.0.0.1' })
  const { port } = t.app.server.address() as AddressInfo
  const url = `http://127.0.0.1:${port}`
  const key = await t.key('alice')
  const clientFor = (o: PodplaneClientOptions = {}) =>
    new PodplaneClient({ baseUrl: url, apiKey: key, retryBaseDelayMs: 10, ...o })
  const close = () => {
    // fetch may hold a pre-opened socket no request ever used; the server would wait seconds for it.
    t.app.server.closeAllConnections()
    return t.close()
  }
  return { t, url, key, client: clientFor(), clientFor, close }
}

/** The rejection of `promise`, failing when it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise
  } catch (error) {
    return error
  }
  throw new Error('expected the call to fail')
}
