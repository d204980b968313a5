import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // Join tokens let an operator's host register itself as a machine (`podplane agent`). Only a
  // hash is kept; a token works for any number of hosts until it expires or is revoked.
  await db.schema
    .createTable('join_tokens')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('data_center_id', 'text', (c) => c.notNull())
    .addColumn('secure_cloud', 'integer', (c) => c.notNull())
    .addColumn('note', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute()
  // One row per machine run by an agent: its credential (hash), what it runs on, its heartbeat.
  await db.schema
    .createTable('machine_agents')
    .addColumn('machine_id', 'text', (c) => c.primaryKey().references('machines.id'))
    .addColumn('credential_hash', 'text', (c) => c.notNull().unique())
    .addColumn('join_token_id', 'text', (c) => c.notNull())
    .addColumn('hostname', 'text', (c) => c.notNull())
    .addColumn('runtime_name', 'text', (c) => c.notNull())
    .addColumn('runtime_version', 'text', (c) => c.notNull())
    .addColumn('agent_version', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'bigint', (c) => c.notNull())
    .addColumn('last_heartbeat_at', 'bigint', (c) => c.notNull())
    .addColumn('runtime_error', 'text')
    .execute()
  // Container output and the agent's own lines, per pod, in arrival order.
  await db.schema
    .createTable('pod_log_lines')
    .addColumn('pod_id', 'text', (c) => c.notNull())
    .addColumn('seq', 'integer', (c) => c.notNull())
    .addColumn('ts', 'bigint', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('line', 'text', (c) => c.notNull())
    .addPrimaryKeyConstraint('pod_log_lines_pk', ['pod_id', 'seq'])
    .execute()
}
