import type { Kysely, Selectable } from 'kysely'
import type { Cluster, ClusterMember, ClusterRole, ClusterType } from '../domain/cluster.js'
import { inChunks } from './chunked.js'
import type { ClusterMembersTable, ClustersTable, Database } from './schema.js'

function toCluster(row: Selectable<ClustersTable>): Cluster {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    type: row.type as ClusterType,
    gpuTypeId: row.gpu_type_id,
    gpuCountPerPod: row.gpu_count_per_pod,
    podCount: row.pod_count,
    templateId: row.template_id,
    dataCenterId: row.data_center_id,
    cidr: row.cidr,
    vxlanId: row.vxlan_id,
    createdAt: Number(row.created_at),
    deletedAt: row.deleted_at === null ? null : Number(row.deleted_at),
  }
}

function toMember(row: Selectable<ClusterMembersTable>): ClusterMember {
  return {
    podId: row.pod_id,
    clusterId: row.cluster_id,
    rank: row.rank,
    role: row.role as ClusterRole | null,
    ip: row.ip,
  }
}

/** Instant clusters and their members. Every query takes the owner's user id. */
export class ClusterRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insert(c: Cluster, members: readonly ClusterMember[]): Promise<void> {
    await this.db
      .insertInto('clusters')
      .values({
        id: c.id,
        user_id: c.userId,
        name: c.name,
        type: c.type,
        gpu_type_id: c.gpuTypeId,
        gpu_count_per_pod: c.gpuCountPerPod,
        pod_count: c.podCount,
        template_id: c.templateId,
        data_center_id: c.dataCenterId,
        cidr: c.cidr,
        vxlan_id: c.vxlanId,
        created_at: c.createdAt,
        deleted_at: c.deletedAt,
      })
      .execute()
    await this.db
      .insertInto('cluster_members')
      .values(
        members.map((m) => ({
          pod_id: m.podId,
          cluster_id: m.clusterId,
          user_id: c.userId,
          rank: m.rank,
          role: m.role,
          ip: m.ip,
        })),
      )
      .execute()
  }

  /** The user's clusters that are not deleted, newest first. */
  async list(userId: string): Promise<Cluster[]> {
    const rows = await this.db
      .selectFrom('clusters')
      .selectAll()
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute()
    return rows.map(toCluster)
  }

  /** A cluster of this user that is not deleted. */
  async get(userId: string, id: string): Promise<Cluster | undefined> {
    const row = await this.db
      .selectFrom('clusters')
      .selectAll()
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst()
    return row && toCluster(row)
  }

  async rename(userId: string, id: string, name: string): Promise<boolean> {
    const result = await this.db
      .updateTable('clusters')
      .set({ name })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  async markDeleted(userId: string, id: string, now: number): Promise<boolean> {
    const result = await this.db
      .updateTable('clusters')
      .set({ deleted_at: now })
      .where('id', '=', id)
      .where('user_id', '=', userId)
      .where('deleted_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) === 1
  }

  /** Members of these clusters of this user, by rank. */
  async members(userId: string, clusterIds: readonly string[]): Promise<ClusterMember[]> {
    if (clusterIds.length === 0) return []
    const rows = await inChunks(clusterIds, (chunk) =>
      this.db
        .selectFrom('cluster_members')
        .selectAll()
        .where('user_id', '=', userId)
        .where('cluster_id', 'in', chunk)
        .orderBy('cluster_id')
        .orderBy('rank')
        .execute(),
    )
    return rows.map(toMember)
  }

  /** The memberships of whichever of these pods of this user belong to a cluster. */
  async membershipsOf(userId: string, podIds: readonly string[]): Promise<ClusterMember[]> {
    if (podIds.length === 0) return []
    const rows = await inChunks(podIds, (chunk) =>
      this.db
        .selectFrom('cluster_members')
        .selectAll()
        .where('user_id', '=', userId)
        .where('pod_id', 'in', chunk)
        .execute(),
    )
    return rows.map(toMember)
  }

  /** Which cluster each of the user's member pods belongs to, deleted clusters included (billing). */
  async memberPods(userId: string): Promise<{ podId: string; clusterId: string }[]> {
    const rows = await this.db
      .selectFrom('cluster_members')
      .select(['pod_id', 'cluster_id'])
      .where('user_id', '=', userId)
      .execute()
    return rows.map((r) => ({ podId: r.pod_id, clusterId: r.cluster_id }))
  }
}
