import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { type DatabaseHandle, openDatabase } from '../../src/store/database.js'
import { createStore, type Store } from '../../src/store/store.js'

describe("SQLite's data generation: equal readings mean nothing was written in between", () => {
  let dir: string
  let handle: DatabaseHandle
  let store: Store
  /** A commit by another connection to the same file (another process, as far as the store knows). */
  const commitElsewhere = () => {
    const other = new SqliteDatabase(join(dir, 'store.db'))
    try {
      other.prepare('insert into users (id, created_at) values (?, ?)').run('from-elsewhere', 1)
    } finally {
      other.close()
    }
  }
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podplane-generation-'))
    handle = await openDatabase(join(dir, 'store.db'))
    store = createStore(handle)
  })
  afterEach(async () => {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  })

  it('holds across reads', async () => {
    const before = store.dataGeneration()
    expect(before).toBeTypeOf('number')
    await store.apiKeys.list()
    await store.pods.listSignature('alice', {})
    expect(store.dataGeneration()).toBe(before)
  })

  it('moves on a write made here, committed or rolled back', async () => {
    const before = store.dataGeneration()
    await store.apiKeys.ensureUser('alice', 1)
    const afterWrite = store.dataGeneration()
    expect(afterWrite).not.toBe(before)
    await expect(
      store.transaction(async (tx) => {
        await tx.apiKeys.ensureUser('bob', 1)
        throw new Error('changed my mind')
      }),
    ).rejects.toThrow('changed my mind')
    expect(store.dataGeneration()).not.toBe(afterWrite)
  })

  it('moves when another connection commits to the file', async () => {
    const before = store.dataGeneration()
    expect(store.dataGeneration()).toBe(before)
    commitElsewhere()
    expect(store.dataGeneration()).not.toBe(before)
  })

  it('is read once for everyone asking in one turn, after the last of them asked', async () => {
    const first = store.dataGenerationInTurn()
    // Another connection commits after the first asker but within the turn: every asker's reading
    // must see it, as the second asker's own reading would have.
    commitElsewhere()
    const second = store.dataGenerationInTurn()
    expect(second).toBe(first)
    const seen = await first
    expect(seen).toBe(store.dataGeneration())
    const before = store.dataGeneration()
    await store.apiKeys.ensureUser('alice', 1)
    expect(await store.dataGenerationInTurn()).not.toBe(before)
    expect(await store.dataGenerationInTurn()).toBe(store.dataGeneration())
  })

  it('moves on an UPDATE … RETURNING run by itself (it returns rows, and still writes)', async () => {
    await store.apiKeys.ensureUser('alice', 1)
    const before = store.dataGeneration()
    const rows = await handle.db
      .updateTable('users')
      .set({ disabled_at: 5 })
      .where('id', '=', 'alice')
      .returning('id')
      .execute()
    expect(rows).toEqual([{ id: 'alice' }])
    expect(store.dataGeneration()).not.toBe(before)
  })

  describe('the owners generation: moves for keys, users, rollbacks and other connections only', () => {
    beforeEach(async () => {
      await store.apiKeys.ensureUser('alice', 1)
    })

    it('holds across writes to other tables, which still move the data generation', async () => {
      const owners = store.ownersGeneration()
      const data = store.dataGeneration()
      await store.transaction(async (tx) => {
        await tx.leases.acquire('some-lease', 'me', 1000, 1)
      })
      expect(store.dataGeneration()).not.toBe(data)
      expect(store.ownersGeneration()).toBe(owners)
    })

    it('moves on a write to API keys or users', async () => {
      let owners = store.ownersGeneration()
      await store.users.setDisabled('alice', 5)
      expect(store.ownersGeneration()).not.toBe(owners)
      owners = store.ownersGeneration()
      await store.apiKeys.ensureUser('bob', 1)
      expect(store.ownersGeneration()).not.toBe(owners)
    })

    it('moves on a rollback (what owners were read after may be undone)', async () => {
      const owners = store.ownersGeneration()
      await expect(
        store.transaction(async (tx) => {
          await tx.leases.acquire('some-lease', 'me', 1000, 1)
          throw new Error('changed my mind')
        }),
      ).rejects.toThrow('changed my mind')
      expect(store.ownersGeneration()).not.toBe(owners)
    })

    it('moves when another connection commits, once a reading has seen it', async () => {
      store.dataGeneration()
      const owners = store.ownersGeneration()
      commitElsewhere()
      await store.dataGenerationInTurn()
      expect(store.ownersGeneration()).not.toBe(owners)
    })
  })
})
