import type { AppContext } from '../api/context.js'
import { systemClock } from '../clock.js'
import { loadConfig } from '../config.js'
import { createContext } from '../context.js'
import { loadSecret } from '../secret.js'
import { openDatabase } from '../store/database.js'
import { createStore, type Store } from '../store/store.js'

/** Opens the store named by PODPLANE_DB for a server-side command, and closes it afterwards. */
export async function withStore<T>(work: (store: Store) => Promise<T>): Promise<T> {
  const store = createStore(await openDatabase(loadConfig().db))
  try {
    return await work(store)
  } finally {
    await store.close()
  }
}

/** Like `withStore`, with the domain services the server runs. */
export async function withContext<T>(work: (ctx: AppContext) => Promise<T>): Promise<T> {
  const config = loadConfig()
  return withStore(async (store) =>
    work(await createContext(store, { ...config, secret: loadSecret(config.db) }, systemClock)),
  )
}
