import { defineConfig } from 'vitest/config'

const common = { pool: 'forks' as const, testTimeout: 30_000, hookTimeout: 60_000 }

/**
 * Two projects: everything on SQLite, and the API suite again on PostgreSQL (a fresh schema per
 * test app, on the PostgreSQL at PODPLANE_TEST_PG, default postgres://postgres@127.0.0.1:5432/test).
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          ...common,
          name: 'sqlite',
          include: ['test/**/*.test.ts', 'src/**/*.test.ts'],
          exclude: ['test/postgres/**'],
        },
      },
      {
        test: {
          ...common,
          name: 'postgres',
          include: ['test/api/**/*.test.ts', 'test/postgres/**/*.test.ts'],
          env: { PODPLANE_TEST_DB: 'postgres' },
        },
      },
    ],
  },
})
