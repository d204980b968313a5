import { fileURLToPath } from 'node:url'
import { buildApp } from './api/app.js'
import type { App } from './api/context.js'
import { type Clock, clockForSpeed } from './clock.js'
import type { Config } from './config.js'
import { createContext, ensureFleet } from './context.js'
import { startBackgroundWork } from './fleet/background.js'
import { loadSecret } from './secret.js'
import { openDatabase } from './store/database.js'
import { createStore } from './store/store.js'

/** Where `vite build` writes the web console, beside the compiled server (`dist/console`). */
const CONSOLE_DIR = fileURLToPath(new URL('./console/', import.meta.url))

export interface RunningServer {
  readonly app: App
  readonly url: string
  close(): Promise<void>
}

/** Opens the store (migrating it), seeds an empty fleet, and serves HTTP until closed. */
export async function startServer(
  config: Config,
  clock: Clock = clockForSpeed(config.simSpeed),
): Promise<RunningServer> {
  const store = createStore(
    await openDatabase(config.db, {
      pool: {
        size: config.dbPoolSize,
        statementTimeoutMs: config.dbStatementTimeoutMs,
        onIdleError: (error) => console.error(`podplane: idle database connection lost: ${error.message}`),
      },
    }),
  )
  try {
    await ensureFleet(store, config, clock)
    const ctx = await createContext(store, { ...config, secret: loadSecret(config.db) }, clock)
    const app = await buildApp(ctx, { logger: { level: config.logLevel }, consoleDir: CONSOLE_DIR })
    const url = await app.listen({ host: config.host, port: config.port })
    const stopBackground = startBackgroundWork(ctx, app.log)
    return {
      app,
      url,
      close: async () => {
        await stopBackground()
        await app.close()
        await store.close()
      },
    }
  } catch (error) {
    await store.close()
    throw error
  }
}

/** Closes the server once on SIGINT/SIGTERM, letting in-flight requests finish. */
export function closeOnSignals(server: RunningServer): void {
  let closing = false
  const stop = (signal: NodeJS.Signals) => {
    if (closing) return
    closing = true
    server.app.log.info({ signal }, 'shutting down')
    server.close().then(
      () => process.exit(0),
      (error) => {
        server.app.log.error({ err: error }, 'shutdown failed')
        process.exit(1)
      },
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}
