import type { Kysely, Selectable } from 'kysely'
import type { Endpoint, EndpointConfig } from '../domain/resources.js'
import type { Database, EndpointsTable } from './schema.js'

/** Config written before REST v2 has no routing type, a boolean flashboot and no bound template. */
type StoredConfig = Omit<EndpointConfig, 'type' | 'flashboot' | 'boundTemplate'> &
  Partial<Pick<EndpointConfig, 'type' | 'boundTemplate'>> & {
    flashboot: EndpointConfig['flashboot'] | boolean
  }

function toEndpoint(row: Selectable<EndpointsTable>): Endpoint {
  const config = JSON.parse(row.config) as StoredConfig
  const { flashboot } = config
  return {
    ...config,
    type: config.type ?? 'QUEUE',
    flashboot: typeof flashboot === 'boolean' ? (flashboot ? 'FLASHBOOT' : 'OFF') : flashboot,
    boundTemplate: config.boundTemplate ?? false,
    id: row.id,
    userId: row.user_id,
    name: row.name,
    templateId: row.template_id,
    version: row.version,
    createdAt: row.created_at,
  }
}

function toRow(e: Endpoint): Selectable<EndpointsTable> {
  const { id, userId, name, templateId, version, createdAt, ...config } = e
  return {
    id,
    user_id: userId,
    name,
    template_id: templateId,
    version,
    created_at: createdAt,
    config: JSON.stringify(config),
  }
}

export class EndpointRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(userId: string): Promise<Endpoint[]> {
    const rows = await this.db
      .selectFrom('endpoints')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(toEndpoint)
  }

  /** Every endpoint of every user: for the simulator's worker reconciliation. */
  async all(): Promise<Endpoint[]> {
    return (await this.db.selectFrom('endpoints').selectAll().orderBy('id').execute()).map(toEndpoint)
  }

  async get(userId: string, id: string): Promise<Endpoint | undefined> {
    const row = await this.db
      .selectFrom('endpoints')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row && toEndpoint(row)
  }

  async usingTemplate(templateId: string): Promise<Endpoint[]> {
    const rows = await this.db
      .selectFrom('endpoints')
      .selectAll()
      .where('template_id', '=', templateId)
      .execute()
    return rows.map(toEndpoint)
  }

  async usingVolume(userId: string, volumeId: string): Promise<Endpoint[]> {
    return (await this.list(userId)).filter((e) => e.networkVolumeIds.includes(volumeId))
  }

  async insert(e: Endpoint): Promise<void> {
    await this.db.insertInto('endpoints').values(toRow(e)).execute()
  }

  async update(e: Endpoint): Promise<void> {
    const { id, user_id, created_at, ...changes } = toRow(e)
    await this.db
      .updateTable('endpoints')
      .set(changes)
      .where('id', '=', id)
      .where('user_id', '=', user_id)
      .execute()
  }

  async delete(userId: string, id: string): Promise<void> {
    await this.db.deleteFrom('endpoints').where('id', '=', id).where('user_id', '=', userId).execute()
  }
}
