import { afterEach, describe, expect, it } from 'vitest'
import { LazyCompilers } from './lazy-compilers.js'

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Keeps the event loop busy (5 ms of work per turn) until `stop` is called. */
function keepBusy(): () => void {
  let busy = true
  const turn = () => {
    const until = performance.now() + 5
    while (performance.now() < until) {
      // busy
    }
    if (busy) setImmediate(turn)
  }
  setImmediate(turn)
  return () => {
    busy = false
  }
}

describe('route schemas compiled in the background', () => {
  let compilers: LazyCompilers
  afterEach(() => compilers.stop())

  const register = (count: number) => {
    const compiled: string[] = []
    const validator = compilers.validator(({ url }) => {
      compiled.push(url)
      return () => true
    })
    const validators = Array.from({ length: count }, (_, i) =>
      validator({ schema: {}, method: 'GET', url: `/route/${i}`, httpPart: 'querystring' }),
    )
    return { compiled, validators }
  }

  it('compiles nothing up front, everything once the server has spare time', async () => {
    compilers = new LazyCompilers()
    const { compiled } = register(20)
    expect(compiled).toEqual([])
    compilers.compileInBackground()
    await sleep(500)
    expect(compiled).toHaveLength(20)
  })

  it('waits while requests keep the server busy; a route used meanwhile compiles on its first use', async () => {
    compilers = new LazyCompilers()
    const { compiled, validators } = register(20)
    const stop = keepBusy()
    compilers.compileInBackground()
    await sleep(500)
    expect(compiled).toEqual([])
    expect(validators[3]!({})).toBe(true)
    expect(compiled).toEqual(['/route/3'])
    stop()
    await sleep(500)
    expect(compiled).toHaveLength(20)
    expect(new Set(compiled).size).toBe(20)
  })
})
