import type {
  CompiledQuery,
  DatabaseConnection,
  DatabaseIntrospector,
  Dialect,
  DialectAdapter,
  Driver,
  Kysely,
  QueryCompiler,
  QueryResult,
  TransactionSettings,
} from 'kysely'
import type { Database } from '../schema.js'

/**
 * PostgreSQL transactions that begin at their first statement: BEGIN goes out just before it,
 * not when the transaction is opened, and a transaction that ran nothing sends neither BEGIN nor
 * COMMIT. Under READ COMMITTED and REPEATABLE READ alike a transaction's snapshot is taken at its
 * first statement anyway, so nothing a transaction sees changes. What it buys: a batch of writes
 * that left all its work to one closing statement can send that statement alone, which is atomic
 * by itself (`runAloneIfUnbegun`) — one round trip instead of BEGIN, the statement and COMMIT,
 * each of which costs both processes a wake-up.
 */
export function lazyTransactions(dialect: Dialect): Dialect {
  return {
    createDriver: () => new LazyTransactionDriver(dialect.createDriver()),
    createQueryCompiler: (): QueryCompiler => dialect.createQueryCompiler(),
    createAdapter: (): DialectAdapter => dialect.createAdapter(),
    createIntrospector: (db): DatabaseIntrospector => dialect.createIntrospector(db),
  }
}

/**
 * If `trx` (a transaction of a `lazyTransactions` dialect) has sent nothing yet, gives it up —
 * its later statements each run on their own, and its commit or rollback sends nothing — and
 * returns true: the caller then runs at most one statement on it, whose atomicity is its own.
 * False, changing nothing, for a transaction already begun or of another dialect.
 */
export async function runAloneIfUnbegun(trx: Kysely<Database>): Promise<boolean> {
  // A transaction's executor provides its one connection without running anything on it.
  const connection = await trx.getExecutor().provideConnection(async (c) => c)
  if (!(connection instanceof LazyConnection) || connection.state !== 'pending') return false
  connection.state = 'none'
  return true
}

type TransactionState =
  /** No transaction: each statement commits by itself. */
  | 'none'
  /** Opened, with nothing sent yet: BEGIN goes before the first statement. */
  | 'pending'
  | 'open'

class LazyConnection implements DatabaseConnection {
  state: TransactionState = 'none'
  settings: TransactionSettings = {}

  constructor(
    readonly inner: DatabaseConnection,
    private readonly driver: Driver,
  ) {}

  async begin(): Promise<void> {
    if (this.state !== 'pending') return
    this.state = 'open'
    // Given this connection, not the inner one, so BEGIN shows in the query log like any statement.
    await this.driver.beginTransaction(this, this.settings)
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    await this.begin()
    return this.inner.executeQuery<R>(query)
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    await this.begin()
    yield* this.inner.streamQuery<R>(query, chunkSize)
  }
}

class LazyTransactionDriver implements Driver {
  /** One wrapper per pooled connection, made once (so the query log wraps it once too). */
  readonly #wrappers = new WeakMap<DatabaseConnection, LazyConnection>()

  constructor(private readonly inner: Driver) {}

  init(): Promise<void> {
    return this.inner.init()
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    const inner = await this.inner.acquireConnection()
    let connection = this.#wrappers.get(inner)
    if (!connection) {
      connection = new LazyConnection(inner, this.inner)
      this.#wrappers.set(inner, connection)
    }
    return connection
  }

  async beginTransaction(connection: LazyConnection, settings: TransactionSettings): Promise<void> {
    connection.state = 'pending'
    connection.settings = settings
  }

  async commitTransaction(connection: LazyConnection): Promise<void> {
    const sent = connection.state === 'open'
    connection.state = 'none'
    if (sent) await this.inner.commitTransaction(connection)
  }

  async rollbackTransaction(connection: LazyConnection): Promise<void> {
    const sent = connection.state === 'open'
    connection.state = 'none'
    if (sent) await this.inner.rollbackTransaction(connection)
  }

  async savepoint(
    connection: LazyConnection,
    name: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await connection.begin()
    await this.inner.savepoint!(connection, name, compileQuery)
  }

  async rollbackToSavepoint(
    connection: LazyConnection,
    name: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.inner.rollbackToSavepoint!(connection, name, compileQuery)
  }

  async releaseSavepoint(
    connection: LazyConnection,
    name: string,
    compileQuery: QueryCompiler['compileQuery'],
  ): Promise<void> {
    await this.inner.releaseSavepoint!(connection, name, compileQuery)
  }

  releaseConnection(connection: LazyConnection): Promise<void> {
    connection.state = 'none'
    return this.inner.releaseConnection(connection.inner)
  }

  destroy(): Promise<void> {
    return this.inner.destroy()
  }
}
