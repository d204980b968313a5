import type { Compilable, CompiledQuery, Kysely, QueryResult } from 'kysely'

const SENTINEL = '\u0000param:'

/** A placeholder for a value given at run time; the query is built and compiled with it once. */
export const param = (name: string): string => `${SENTINEL}${name}`

/**
 * Queries on the hot paths, compiled once and run with new values. Building and compiling a query
 * with Kysely costs more than running a small one on SQLite; the SQL is the same for the pool and
 * for a transaction, so one compiled query serves both.
 */
export class PreparedQueries {
  readonly #compiled = new Map<string, CompiledQuery>()

  async run<R>(
    db: Kysely<unknown>,
    key: string,
    build: () => Compilable<R>,
    values: Readonly<Record<string, unknown>>,
  ): Promise<QueryResult<R>> {
    let compiled = this.#compiled.get(key) as CompiledQuery<R> | undefined
    if (!compiled) {
      compiled = build().compile()
      this.#compiled.set(key, compiled)
    }
    const parameters = compiled.parameters.map((p) =>
      typeof p === 'string' && p.startsWith(SENTINEL) ? values[p.slice(SENTINEL.length)] : p,
    )
    return db.executeQuery<R>({ ...compiled, parameters })
  }
}
