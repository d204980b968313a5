import { afterEach, describe, expect, it, vi } from 'vitest'
import { useColor } from './output.js'

const stream = (isTTY: boolean) => ({ isTTY }) as NodeJS.WriteStream

describe('useColor', () => {
  afterEach(() => vi.unstubAllEnvs())

  it('colours for a person at a terminal', () => {
    vi.stubEnv('NO_COLOR', '')
    vi.stubEnv('TERM', 'xterm-256color')
    expect(useColor(stream(true))).toBe(true)
  })

  it('never colours a pipe, a NO_COLOR environment or a dumb terminal', () => {
    vi.stubEnv('NO_COLOR', '')
    vi.stubEnv('TERM', 'xterm-256color')
    expect(useColor(stream(false))).toBe(false)
    vi.stubEnv('NO_COLOR', '1')
    expect(useColor(stream(true))).toBe(false)
    vi.stubEnv('NO_COLOR', '')
    vi.stubEnv('TERM', 'dumb')
    expect(useColor(stream(true))).toBe(false)
  })
})
