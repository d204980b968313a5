import { describe, expect, it } from 'vitest'
import { KeptAnswers } from './kept-answers.js'

const answer = (bytes: number) => ({ body: Buffer.alloc(bytes) })

describe('KeptAnswers', () => {
  it('counts a replaced answer once, so answers re-rendered under one key never fill it', () => {
    const kept = new KeptAnswers(10, 1000)
    for (let i = 0; i < 100; i++) kept.set('list', answer(400))
    expect(kept.bytes).toBe(400)
    kept.set('other', answer(400))
    expect(kept.get('list')).toBeDefined()
    expect(kept.get('other')).toBeDefined()
  })

  it('drops the answers stored longest ago past the byte bound, keeping the newest', () => {
    const kept = new KeptAnswers(10, 1000)
    kept.set('a', answer(400))
    kept.set('b', answer(400))
    kept.set('c', answer(400))
    expect(kept.get('a')).toBeUndefined()
    expect([kept.get('b'), kept.get('c')].every(Boolean)).toBe(true)
    expect(kept.bytes).toBe(800)
  })

  it('drops the answers stored longest ago past the count bound', () => {
    const kept = new KeptAnswers(2, 1_000_000)
    kept.set('a', answer(1))
    kept.set('b', answer(1))
    kept.set('a', answer(1)) // stored again: now the newest
    kept.set('c', answer(1))
    expect(kept.get('b')).toBeUndefined()
    expect(kept.size).toBe(2)
    expect(kept.bytes).toBe(2)
  })
})
