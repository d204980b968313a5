import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { hashApiKey } from '../../src/domain/api-keys.js'
import { openDatabase } from '../../src/store/database.js'
import { createStore, type Store } from '../../src/store/store.js'
import { type ScratchDatabase, scratchPostgres } from '../helpers/databases.js'

const KEYS = 70

describe('API-key lookups asked for together on PostgreSQL', () => {
  let scratch: ScratchDatabase
  let store: Store

  beforeAll(async () => {
    scratch = await scratchPostgres()
    store = createStore(await openDatabase(scratch.location))
    const now = Date.now()
    for (let i = 0; i < KEYS; i++) {
      await store.apiKeys.ensureUser(`user-${i}`, now)
      await store.apiKeys.insert({
        id: `key-${i}`,
        user_id: `user-${i}`,
        name: 'test',
        key_hash: hashApiKey(`secret-${i}`),
        key_prefix: 'rpa_',
        is_admin: i === 3 ? 1 : 0,
        created_at: now,
        revoked_at: null,
      })
    }
    await store.apiKeys.revoke('key-5', now)
    await store.users.setDisabled('user-6', now)
  })

  afterAll(async () => {
    await store?.close()
    await scratch?.drop()
  })

  // 70 distinct keys in one turn: more than one query holds (64), and neither part is a power of
  // two, so both are padded.
  it('answers each of many keys asked for in one turn with its own owner', async () => {
    const asked = [...Array.from({ length: KEYS }, (_, i) => i), 1, 2, 2]
    const found = await Promise.all([
      ...asked.map((i) => store.apiKeys.ownerOf(hashApiKey(`secret-${i}`))),
      store.apiKeys.ownerOf(hashApiKey('no such key')),
    ])
    const owners = found.map((f) => f?.owner.userId)
    const expected = asked.map((i) => (i === 5 || i === 6 ? undefined : `user-${i}`))
    expect(owners).toEqual([...expected, undefined])
    expect(found[3]?.owner.isAdmin).toBe(true)
    expect(found[4]?.owner.isAdmin).toBe(false)
    expect(found[0]?.snapshot).toMatch(/^\d+:\d+:/)
  })

  it('answers one key asked for alone, and sees a revocation made since', async () => {
    expect((await store.apiKeys.ownerOf(hashApiKey('secret-9')))?.owner.keyId).toBe('key-9')
    await store.apiKeys.revoke('key-9', Date.now())
    expect(await store.apiKeys.ownerOf(hashApiKey('secret-9'))).toBeUndefined()
  })
})
