import { describe, expect, it } from 'vitest'
import { formatTable } from './table.js'

const rows = [
  { id: 'pod-1', name: 'a-very-long-pod-name-that-goes-on-and-on', status: 'RUNNING' },
  { id: 'pod-22', name: 'short', status: 'EXITED' },
]

describe('formatTable', () => {
  it('aligns columns under upper-case headers', () => {
    expect(formatTable(rows).split('\n')[0]).toBe(`ID      NAME${' '.repeat(38)}STATUS`)
  })

  it('cuts the widest column with an ellipsis until the table fits the width', () => {
    const lines = formatTable(rows, { maxWidth: 40 }).trimEnd().split('\n')
    expect(Math.max(...lines.map((l) => l.length))).toBeLessThanOrEqual(40)
    expect(lines[1]).toBe('pod-1   a-very-long-pod-name-t…  RUNNING')
    expect(lines[2]).toMatch(/^pod-22 {2}short +EXITED$/)
  })

  it('never cuts a column below eight characters, even when the terminal is narrower', () => {
    const lines = formatTable(rows, { maxWidth: 10 }).trimEnd().split('\n')
    expect(lines[1]).toBe('pod-1   a-very-…  RUNNING')
  })

  it('paints body cells only, after padding', () => {
    const out = formatTable(rows, {
      paint: (column, value, padded) => (column === 'status' ? `<${value}>` : padded),
    })
    expect(out.split('\n')[0]).toContain('STATUS')
    expect(out.split('\n')[1]).toMatch(/<RUNNING>$/)
  })
})
