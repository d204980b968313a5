import type { Kysely, Selectable } from 'kysely'
import type { EndpointRelease } from '../domain/endpoint-releases.js'
import type { Database, EndpointReleasesTable } from './schema.js'

function toRelease(row: Selectable<EndpointReleasesTable>): EndpointRelease {
  return {
    id: row.id,
    endpointId: row.endpoint_id,
    userId: row.user_id,
    version: row.version,
    snapshot: JSON.parse(row.snapshot),
    createdByUserId: row.created_by_user_id,
    createdAt: row.created_at,
  }
}

export class EndpointReleaseRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** The endpoint's releases, newest first. */
  async list(userId: string, endpointId: string): Promise<EndpointRelease[]> {
    const rows = await this.db
      .selectFrom('endpoint_releases')
      .selectAll()
      .where('endpoint_id', '=', endpointId)
      .where('user_id', '=', userId)
      .orderBy('version', 'desc')
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute()
    return rows.map(toRelease)
  }

  async insert(r: EndpointRelease): Promise<void> {
    await this.db
      .insertInto('endpoint_releases')
      .values({
        id: r.id,
        endpoint_id: r.endpointId,
        user_id: r.userId,
        version: r.version,
        snapshot: JSON.stringify(r.snapshot),
        created_by_user_id: r.createdByUserId,
        created_at: r.createdAt,
      })
      .execute()
  }

  async deleteFor(userId: string, endpointId: string): Promise<void> {
    await this.db
      .deleteFrom('endpoint_releases')
      .where('endpoint_id', '=', endpointId)
      .where('user_id', '=', userId)
      .execute()
  }
}
