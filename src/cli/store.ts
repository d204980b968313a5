import { loadConfig } from '../config.js'
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
