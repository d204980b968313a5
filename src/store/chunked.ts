/** Bound parameters per statement stay well under SQLite's and PostgreSQL's limits. */
const CHUNK = 900

/** Runs an `IN (…)` query over any number of ids, a chunk at a time. */
export async function inChunks<T>(
  ids: readonly string[],
  query: (chunk: string[]) => Promise<T[]>,
): Promise<T[]> {
  if (ids.length <= CHUNK) return ids.length === 0 ? [] : query([...ids])
  const results: T[] = []
  for (let i = 0; i < ids.length; i += CHUNK) results.push(...(await query(ids.slice(i, i + CHUNK))))
  return results
}
