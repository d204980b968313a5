import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import SqliteDatabase from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../src/store/database.js'
import { createStore, type Store } from '../../src/store/store.js'

describe("SQLite's data generation: equal readings mean nothing was written in between", () => {
  let dir: string
  let store: Store
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'podplane-generation-'))
    store = createStore(await openDatabase(join(dir, 'store.db')))
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
    const other = new SqliteDatabase(join(dir, 'store.db'))
    try {
      other.prepare('insert into users (id, created_at) values (?, ?)').run('from-elsewhere', 1)
    } finally {
      other.close()
    }
    expect(store.dataGeneration()).not.toBe(before)
  })

  it('is read once for everyone asking in one turn, after the last of them asked', async () => {
    const first = store.dataGenerationInTurn()
    // Another connection commits after the first asker but within the turn: every asker's reading
    // must see it, as the second asker's own reading would have.
    const other = new SqliteDatabase(join(dir, 'store.db'))
    try {
      other.prepare('insert into users (id, created_at) values (?, ?)').run('from-elsewhere', 1)
    } finally {
      other.close()
    }
    const second = store.dataGenerationInTurn()
    expect(second).toBe(first)
    const seen = await first
    expect(seen).toBe(store.dataGeneration())
    const before = store.dataGeneration()
    await store.apiKeys.ensureUser('alice', 1)
    expect(await store.dataGenerationInTurn()).not.toBe(before)
    expect(await store.dataGenerationInTurn()).toBe(store.dataGeneration())
  })
})
