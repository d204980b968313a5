import { describe, expect, it } from 'vitest'
import { limitHeapGrowth } from './heap-growth.js'

describe('limitHeapGrowth', () => {
  it("leaves an operator's own heap growth alone, in either spelling", () => {
    expect(limitHeapGrowth(['--heap-growing-percent=200'])).toBe(false)
    expect(limitHeapGrowth(['--enable-source-maps', '--heap_growing_percent=10'])).toBe(false)
  })

  it('caps it otherwise', () => {
    expect(limitHeapGrowth(['--enable-source-maps'])).toBe(true)
    expect(limitHeapGrowth([])).toBe(true)
  })
})
