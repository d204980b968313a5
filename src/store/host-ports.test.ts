import { describe, expect, it } from 'vitest'
import { freeHostPorts, HOST_PORT_END, HOST_PORT_FIRST } from './host-ports.js'

describe('freeHostPorts', () => {
  it('takes the ports from the counter on when none is held', () => {
    expect(freeHostPorts(new Set(), 20000, 3)).toBe(20000)
    expect(freeHostPorts(new Set([19999, 20003]), 20000, 3)).toBe(20000)
  })

  it('skips past held ports to the first run long enough', () => {
    expect(freeHostPorts(new Set([20001]), 20000, 2)).toBe(20002)
    expect(freeHostPorts(new Set([20000, 20002, 20005]), 20000, 2)).toBe(20003)
  })

  it('goes round to the start of the range when the end comes first', () => {
    expect(freeHostPorts(new Set(), HOST_PORT_END - 1, 2)).toBe(HOST_PORT_FIRST)
    expect(freeHostPorts(new Set([HOST_PORT_FIRST, HOST_PORT_FIRST + 2]), HOST_PORT_END - 1, 2)).toBe(
      HOST_PORT_FIRST + 3,
    )
    expect(freeHostPorts(new Set(), HOST_PORT_END - 2, 2)).toBe(HOST_PORT_END - 2)
  })

  it('finds nothing when every run is held, without going round twice', () => {
    const everyOther = new Set<number>()
    for (let p = HOST_PORT_FIRST; p < HOST_PORT_END; p += 2) everyOther.add(p)
    expect(freeHostPorts(everyOther, 30000, 1)).toBe(30001)
    expect(freeHostPorts(everyOther, 30000, 2)).toBeUndefined()
    const all = new Set<number>()
    for (let p = HOST_PORT_FIRST; p < HOST_PORT_END; p++) all.add(p)
    all.delete(20000)
    expect(freeHostPorts(all, 30000, 1)).toBe(20000)
  })
})
