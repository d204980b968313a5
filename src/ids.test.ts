import { describe, expect, it } from 'vitest'
import { newCuid, newPodId, randomId } from './ids.js'

describe('random ids', () => {
  it('have the length and alphabet RunPod uses', () => {
    expect(newPodId()).toMatch(/^[a-z0-9]{14}$/)
    expect(newCuid()).toMatch(/^c[a-z0-9]{24}$/)
  })

  it('draw every character equally often', () => {
    // 720,000 characters: 20,000 of each expected, with a standard deviation of ~140. Mapping
    // every byte modulo 36 would give "a" to "d" 8/256 each (~22,500): far outside ±1,000.
    const counts = new Map<string, number>()
    for (let i = 0; i < 36_000; i++) {
      for (const c of randomId(20)) counts.set(c, (counts.get(c) ?? 0) + 1)
    }
    expect(counts.size).toBe(36)
    const uneven = [...counts].filter(([, n]) => Math.abs(n - 20_000) >= 1_000)
    expect(uneven).toEqual([])
  })
})
