import type { Kysely, Selectable } from 'kysely'
import type { NetworkVolume } from '../domain/resources.js'
import { inChunks } from './chunked.js'
import type { Database, NetworkVolumesTable } from './schema.js'

export function toNetworkVolume(row: Selectable<NetworkVolumesTable>): NetworkVolume {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    size: row.size_gb,
    dataCenterId: row.data_center_id,
    createdAt: row.created_at,
  }
}

export class NetworkVolumeRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(userId: string, id: string): Promise<NetworkVolume | undefined> {
    const row = await this.db
      .selectFrom('network_volumes')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return row && toNetworkVolume(row)
  }

  async byIds(userId: string, ids: readonly string[]): Promise<NetworkVolume[]> {
    const rows = await inChunks(ids, (chunk) =>
      this.db
        .selectFrom('network_volumes')
        .selectAll()
        .where('user_id', '=', userId)
        .where('id', 'in', chunk)
        .execute(),
    )
    return rows.map(toNetworkVolume)
  }
}
