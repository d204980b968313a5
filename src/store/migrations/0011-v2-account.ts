import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // Per-user request quotas set by operators (null: the server's defaults).
  await db.schema.alterTable('users').addColumn('rate_limit_minute', 'integer').execute()
  await db.schema.alterTable('users').addColumn('rate_limit_hour', 'integer').execute()
  await db.schema.alterTable('users').addColumn('rate_limit_day', 'integer').execute()
  // The account's SSH public keys, put into pods created with startSsh (REST v2).
  await db.schema
    .alterTable('users')
    .addColumn('ssh_keys', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute()
  // Request counts per user and window, shared by replicas on PostgreSQL.
  await db.schema
    .createTable('rate_counters')
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('window', 'text', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rate_counters_pk', ['user_id', 'window', 'window_start'])
    .execute()
}
