import type { Kysely } from 'kysely'
import type { Database } from './schema.js'

/** A user's own account settings. */
export class AccountRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The account's SSH public keys (authorized_keys lines), in the order they were set. */
  async sshKeys(userId: string): Promise<string[]> {
    const row = await this.db
      .selectFrom('users')
      .select('ssh_keys')
      .where('id', '=', userId)
      .executeTakeFirst()
    return row ? (JSON.parse(row.ssh_keys) as string[]) : []
  }

  /** Replaces the whole set. */
  async setSshKeys(userId: string, keys: readonly string[]): Promise<void> {
    await this.db
      .updateTable('users')
      .set({ ssh_keys: JSON.stringify(keys) })
      .where('id', '=', userId)
      .execute()
  }
}
