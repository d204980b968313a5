/** True when a write failed on a UNIQUE constraint (SQLite or PostgreSQL). */
export function isUniqueViolation(error: unknown): boolean {
  const e = error as { code?: string; message?: string }
  return (
    e?.code === '23505' ||
    e?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  )
}

/**
 * Whether the database server itself answered with `error` (node-postgres's errors from it carry a
 * severity): the statement was then undone, where without an answer (a lost connection) it may
 * have landed.
 */
export function answeredByServer(error: unknown): boolean {
  return typeof (error as { severity?: unknown })?.severity === 'string'
}
