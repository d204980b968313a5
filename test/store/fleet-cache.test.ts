import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { catalogRows } from '../../src/fleet/seed.js'
import { type DatabaseHandle, openDatabase } from '../../src/store/database.js'
import { createStore, type Store } from '../../src/store/store.js'
import { type ScratchDatabase, scratchSqlite } from '../helpers/databases.js'
import { machine } from '../helpers/machines.js'

/** The fleet cache's full read, page by page (a fleet this small is one page). */
const isFullFleetRead = (sql: string) => /from "machines" where "removed_at" is null and "id" >/.test(sql)

describe('reading the whole fleet again', () => {
  let scratch: ScratchDatabase
  let handle: DatabaseHandle
  let store: Store
  let queries: string[]
  beforeEach(async () => {
    scratch = scratchSqlite()
    queries = []
    handle = await openDatabase(scratch.location, { onQuery: (sql) => queries.push(sql) })
    store = createStore(handle)
    await store.catalog.insertMissing(catalogRows())
    await store.machines.insertMany([machine({ id: 'm1' }), machine({ id: 'm2' })])
    await store.fleet.ready()
    queries = []
  })
  afterEach(async () => {
    await store.close()
    await scratch.drop()
  })

  it('runs one read at a time: callers while one runs share the next, which sees what they saw', async () => {
    const first = store.fleet.refresh()
    // Written behind the cache's back, as another process would, once the first read is under way.
    await handle.db.updateTable('machines').set({ note: 'changed' }).where('id', '=', 'm1').execute()
    const later = [store.fleet.refresh(), store.fleet.refresh(), store.fleet.refresh()]
    await Promise.all([first, ...later])
    expect(queries.filter(isFullFleetRead)).toHaveLength(2)
    expect(store.fleet.row('m1')?.note).toBe('changed')
    // Idle again: the next call reads at once.
    await store.fleet.refresh()
    expect(queries.filter(isFullFleetRead)).toHaveLength(3)
  })
})
