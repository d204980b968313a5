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

  async get(userId: string, id: string): Promise<RegistryAuth | undefined> {
    const row = await this.db
      .selectFrom('container_registry_auths')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row && toRegistryAuth(row)
  }
}
