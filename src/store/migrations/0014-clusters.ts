import type { Kysely } from 'kysely'

export async function up(db: Kysely<unknown>): Promise<void> {
  // Instant Clusters (REST v2): a gang of identical GPU pods in one data center. A deleted
  // cluster keeps its row (deleted_at set) so its members' usage can still be billed to it.
  await db.schema
    .createTable('clusters')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('user_id', 'text', (c) => c.notNull().references('users.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('gpu_type_id', 'text', (c) => c.notNull())
    .addColumn('gpu_count_per_pod', 'integer', (c) => c.notNull())
    .addColumn('pod_count', 'integer', (c) => c.notNull())
    .addColumn('template_id', 'text')
    .addColumn('data_center_id', 'text', (c) => c.notNull())
    .addColumn('cidr', 'text', (c) => c.notNull())
    .addColumn('vxlan_id', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('deleted_at', 'bigint')
    .execute()
  await db.schema.createIndex('clusters_user').on('clusters').columns(['user_id', 'created_at']).execute()
  // One row per member pod: its rank, role and overlay address. Kept after the cluster is deleted.
  await db.schema
    .createTable('cluster_members')
    .addColumn('pod_id', 'text', (c) => c.primaryKey())
    .addColumn('cluster_id', 'text', (c) => c.notNull().references('clusters.id'))
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('rank', 'integer', (c) => c.notNull())
    .addColumn('role', 'text')
    .addColumn('ip', 'text', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('cluster_members_cluster')
    .on('cluster_members')
    .columns(['cluster_id', 'rank'])
    .execute()
}
