import { type Kysely, type Selectable, sql } from 'kysely'
import type { NetworkVolume, VolumeType } from '../domain/resources.js'
import { inChunks } from './chunked.js'
import type { Database, NetworkVolumesTable } from './schema.js'

export function toNetworkVolume(row: Selectable<NetworkVolumesTable>): NetworkVolume {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    size: row.size_gb,
    dataCenterId: row.data_center_id,
    type: row.type as VolumeType,
    createdAt: row.created_at,
  }
}

export class NetworkVolumeRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(userId: string): Promise<NetworkVolume[]> {
    const rows = await this.db
      .selectFrom('network_volumes')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(toNetworkVolume)
  }

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

  async insert(v: NetworkVolume): Promise<void> {
    await this.db
      .insertInto('network_volumes')
      .values({
        id: v.id,
        user_id: v.userId,
        name: v.name,
        size_gb: v.size,
        data_center_id: v.dataCenterId,
        type: v.type,
        created_at: v.createdAt,
      })
      .execute()
  }

  async update(v: NetworkVolume): Promise<void> {
    await this.db
      .updateTable('network_volumes')
      .set({ name: v.name, size_gb: v.size, version: sql`version + 1` })
      .where('id', '=', v.id)
      .where('user_id', '=', v.userId)
      .execute()
  }

  async delete(userId: string, id: string): Promise<void> {
    await this.db.deleteFrom('network_volumes').where('id', '=', id).where('user_id', '=', userId).execute()
  }

  /** Ids of the live pods that mount this volume. */
  async podsUsing(userId: string, id: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('pods')
      .select('id')
      .where('user_id', '=', userId)
      .where('network_volume_id', '=', id)
      .where('status', '!=', 'TERMINATED')
      .execute()
    return rows.map((r) => r.id)
  }
}
