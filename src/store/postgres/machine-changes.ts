import pg from 'pg'

/** The channel the machines' triggers notify on (migration 0019-machine-changes). */
const CHANNEL = 'podplane_machines'
/** Waits before connecting again after the connection was lost, doubling up to the last. */
const RETRY_MS = [250, 1000, 5000, 30_000]

/** What a process hears of machine changes it did not make itself. */
export interface MachineChangeListener {
  /** These machines changed (added, edited, claimed from, released, removed). */
  changed(ids: readonly string[]): void
  /** Changes may have gone unheard (before listening, while disconnected, too many for a notification). */
  missed(): void
  /** The connection failed; it is tried again by itself. */
  failed(error: Error): void
}

interface Notified {
  readonly schema?: unknown
  readonly writer?: unknown
  readonly ids?: unknown
}

/**
 * PostgreSQL: other processes' machine changes, as they commit. Every statement that changes
 * machines notifies with the ids it changed and who wrote them (the session's `podplane.writer`,
 * which this process's pool sets to `writer` on every connection); one connection of its own
 * LISTENs, and passes on the changes of every other writer in its schema. A lost connection is
 * made again, and what may have been missed meanwhile is reported (`missed`).
 */
export class MachineChangeFeed {
  #listener: MachineChangeListener | undefined
  #client: pg.Client | undefined
  #listening = false
  #closed = false
  #failures = 0
  #retry: NodeJS.Timeout | undefined

  constructor(
    private readonly url: string,
    /** This process's writer name, set on its pool's connections. */
    readonly writer: string,
  ) {}

  /** True while notifications are heard: no change can go unseen. */
  get listening(): boolean {
    return this.#listening
  }

  /** Starts listening (once); resolves when listening, or when the first attempt failed (retried). */
  async follow(listener: MachineChangeListener): Promise<void> {
    if (this.#listener || this.#closed) return
    this.#listener = listener
    await this.connect()
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#listening = false
    clearTimeout(this.#retry)
    const client = this.#client
    this.#client = undefined
    await client?.end().catch(() => undefined)
  }

  private async connect(): Promise<void> {
    const listener = this.#listener!
    const client = new pg.Client({
      connectionString: this.url,
      application_name: `podplane:changes:${this.writer}`,
      connectionTimeoutMillis: 5_000,
    })
    this.#client = client
    client.on('error', (error) => this.lost(client, error))
    client.on('end', () => this.lost(client))
    try {
      await client.connect()
      const { rows } = await client.query<{ schema: string }>('select current_schema() as schema')
      const schema = rows[0]!.schema
      client.on('notification', (message) => this.heard(schema, message.payload))
      await client.query(`listen ${CHANNEL}`)
    } catch (error) {
      this.lost(client, error as Error)
      return
    }
    if (this.#client !== client) return // closed, or lost, meanwhile
    this.#listening = true
    this.#failures = 0
    // Whatever changed before now was not heard.
    listener.missed()
  }

  private heard(schema: string, payload: string | undefined): void {
    let notified: Notified
    try {
      notified = JSON.parse(payload ?? '') as Notified
    } catch {
      return // not ours
    }
    if (notified.schema !== schema || notified.writer === this.writer) return
    if (Array.isArray(notified.ids)) this.#listener!.changed(notified.ids.map(String))
    else this.#listener!.missed()
  }

  private lost(client: pg.Client, error?: Error): void {
    if (this.#client !== client) return
    this.#client = undefined
    this.#listening = false
    client.end().catch(() => undefined)
    if (this.#closed) return
    this.#listener!.failed(error ?? new Error('the connection listening for machine changes ended'))
    const wait = RETRY_MS[Math.min(this.#failures++, RETRY_MS.length - 1)]
    this.#retry = setTimeout(() => void this.connect(), wait)
    this.#retry.unref()
  }
}
