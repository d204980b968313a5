import { describe, expect, it } from 'vitest'
import { createTestApp } from '../helpers/app.js'
import { TEST_DIALECT } from '../helpers/databases.js'

describe('test store', () => {
  it(`runs this project's API suite on ${TEST_DIALECT}`, async () => {
    const t = await createTestApp()
    try {
      expect(t.store.dialect).toBe(TEST_DIALECT)
      expect((await t.request('GET', '/readyz')).body).toEqual({ status: 'ready' })
    } finally {
      await t.close()
    }
  })
})
