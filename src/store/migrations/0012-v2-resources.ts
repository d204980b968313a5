import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // REST v2 template settings; existing templates get v2's create defaults.
  await db.schema
    .alterTable('templates')
    .addColumn('start_ssh', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema
    .alterTable('templates')
    .addColumn('start_jupyter', 'integer', (c) => c.notNull().defaultTo(1))
    .execute()
  await db.schema
    .alterTable('templates')
    .addColumn('allowed_cuda_versions', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute()
  // A network volume's storage tier, fixed at creation.
  await db.schema
    .alterTable('network_volumes')
    .addColumn('type', 'text', (c) => c.notNull().defaultTo('STANDARD'))
    .execute()
  // ECR repositories a user lets podplane pull from (REST v2 registry delegations).
  await db.schema
    .createTable('ecr_delegations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text')
    .addColumn('resource', 'text', (c) => c.notNull())
    .addColumn('aws_account', 'text', (c) => c.notNull())
    .addColumn('aws_region', 'text', (c) => c.notNull())
    .addColumn('repository', 'text', (c) => c.notNull())
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('ecr_delegations_user_resource')
    .on('ecr_delegations')
    .columns(['user_id', 'resource'])
    .unique()
    .execute()
}
