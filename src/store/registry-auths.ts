import type { Kysely, Selectable } from 'kysely'
import type { RegistryAuth } from '../domain/resources.js'
import type { ContainerRegistryAuthsTable, Database } from './schema.js'

export function toRegistryAuth(row: Selectable<ContainerRegistryAuthsTable>): RegistryAuth {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    username: row.username,
    createdAt: row.created_at,
  }
}

export class RegistryAuthRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(userId: string): Promise<RegistryAuth[]> {
    const rows = await this.db
      .selectFrom('container_registry_auths')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(toRegistryAuth)
  }

  async get(userId: string, id: string): Promise<RegistryAuth | undefined> {
    const row = await this.db
      .selectFrom('container_registry_auths')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row && toRegistryAuth(row)
  }

  /** The sealed password, for the runtime that pulls an image; never for an API response. */
  async sealedPassword(userId: string, id: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom('container_registry_auths')
      .select('password_encrypted')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row?.password_encrypted
  }

  async nameTaken(userId: string, name: string): Promise<boolean> {
    const row = await this.db
      .selectFrom('container_registry_auths')
      .select('id')
      .where('user_id', '=', userId)
      .where('name', '=', name)
      .executeTakeFirst()
    return row !== undefined
  }

  async insert(auth: RegistryAuth, sealedPassword: string): Promise<void> {
    await this.db
      .insertInto('container_registry_auths')
      .values({
        id: auth.id,
        user_id: auth.userId,
        name: auth.name,
        username: auth.username,
        password_encrypted: sealedPassword,
        created_at: auth.createdAt,
      })
      .execute()
  }

  async delete(userId: string, id: string): Promise<void> {
    await this.db
      .deleteFrom('container_registry_auths')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .execute()
  }

  /** Ids of the user's live pods that pull their image with this auth. */
  async podsUsing(userId: string, id: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('pods')
      .select('id')
      .where('user_id', '=', userId)
      .where('container_registry_auth_id', '=', id)
      .where('status', '!=', 'TERMINATED')
      .execute()
    return rows.map((r) => r.id)
  }
}
