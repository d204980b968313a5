import type { Kysely, Selectable } from 'kysely'
import type { EcrDelegation } from '../domain/resources.js'
import type { Database, EcrDelegationsTable } from './schema.js'

function toEcrDelegation(row: Selectable<EcrDelegationsTable>): EcrDelegation {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    resource: row.resource,
    awsAccount: row.aws_account,
    awsRegion: row.aws_region,
    repository: row.repository,
    tag: row.tag,
    createdAt: row.created_at,
  }
}

export class EcrDelegationRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async list(userId: string): Promise<EcrDelegation[]> {
    const rows = await this.db
      .selectFrom('ecr_delegations')
      .selectAll()
      .where('user_id', '=', userId)
      .orderBy('created_at')
      .orderBy('id')
      .execute()
    return rows.map(toEcrDelegation)
  }

  async insert(d: EcrDelegation): Promise<void> {
    await this.db
      .insertInto('ecr_delegations')
      .values({
        id: d.id,
        user_id: d.userId,
        name: d.name,
        resource: d.resource,
        aws_account: d.awsAccount,
        aws_region: d.awsRegion,
        repository: d.repository,
        tag: d.tag,
        created_at: d.createdAt,
      })
      .execute()
  }

  /** True when the user had this delegation. */
  async delete(userId: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('ecr_delegations')
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .executeTakeFirst()
    return Number(result.numDeletedRows) === 1
  }
}
