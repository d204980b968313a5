import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { catalogRows } from '../../src/fleet/seed.js'
import { type DatabaseHandle, openDatabase } from '../../src/store/database.js'
import { createStore, type Store } from '../../src/store/store.js'
import { type ScratchDatabase, scratchDatabase } from '../helpers/databases.js'
import { machine } from '../helpers/machines.js'

describe.each(['sqlite', 'postgres'] as const)('group commit on %s', (dialect) => {
  let scratch: ScratchDatabase
  let handle: DatabaseHandle
  let store: Store
  let statements: string[]
  beforeEach(async () => {
    scratch = await scratchDatabase(dialect)
    statements = []
    handle = await openDatabase(scratch.location, { onQuery: (sql) => statements.push(sql.toLowerCase()) })
    store = createStore(handle)
    await store.apiKeys.ensureUser('u', 1)
    statements = []
  })
  afterEach(async () => {
    await store.close()
    await scratch.drop()
  })

  const keys = async () => (await store.apiKeys.list('u')).map((k) => k.id).sort()
  /** Adds an API key inside the batch; a duplicate id fails the insert. */
  const addKey = (id: string, then?: () => void) =>
    store.batched(async (tx) => {
      await tx.apiKeys.insert({
        id,
        user_id: 'u',
        name: id,
        key_hash: `hash-${id}`,
        key_prefix: 'rpa_test',
        is_admin: 0,
        created_at: 1,
        revoked_at: null,
      })
      then?.()
      return id
    })

  it('commits writes submitted together once, with no savepoint when none fails', async () => {
    expect(await Promise.all(['a', 'b', 'c'].map((id) => addKey(id)))).toEqual(['a', 'b', 'c'])
    expect(await keys()).toEqual(['a', 'b', 'c'])
    expect(statements.filter((s) => s.startsWith('commit'))).toHaveLength(1)
    expect(statements.filter((s) => s.includes('savepoint'))).toEqual([])
  })

  it('fails only the write that throws; the others land once each', async () => {
    const outcomes = await Promise.allSettled([
      addKey('a'),
      addKey('b', () => {
        throw new Error('b changed its mind')
      }),
      addKey('c'),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toBe('b changed its mind')
    // 'a' ran twice (before and after the rollback) and is there once: no duplicate-key failure.
    expect(await keys()).toEqual(['a', 'c'])
  })

  it('rolls back a lone write that fails, without running it again', async () => {
    let runs = 0
    await expect(
      addKey('a', () => {
        runs++
        throw new Error('no')
      }),
    ).rejects.toThrow('no')
    expect(runs).toBe(1)
    expect(await keys()).toEqual([])
  })

  it('fails a write whose insert the database refuses, and keeps the rest of its batch', async () => {
    await addKey('taken')
    const outcomes = await Promise.allSettled([addKey('x'), addKey('taken'), addKey('y')])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(await keys()).toEqual(['taken', 'x', 'y'])
  })

  it('leaves the fleet cache as the database says after a batch ran twice', async () => {
    const [first, second] = [machine(), machine()]
    await store.catalog.insertMissing(catalogRows())
    await store.machines.insertMany([first, second])
    await store.fleet.ready()
    const claim = { gpuCount: 1, vcpuCount: 1, memoryGb: 1, diskGb: 1 }
    let runs = 0
    const outcomes = await Promise.allSettled([
      // Claims one machine on its first run and the other on its second.
      store.batched(async (tx) => tx.machines.claim(++runs === 1 ? first.id : second.id, claim)),
      store.batched(async () => {
        throw new Error('fails the first attempt')
      }),
    ])
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected'])
    expect(runs).toBe(2)
    expect(store.fleet.row(first.id)?.gpu_used).toBe(0)
    expect(store.fleet.row(second.id)?.gpu_used).toBe(1)
  })
})
