import { randomId } from '../ids.js'
import type { Store } from '../store/store.js'
import {
  CLUSTER_CIDR,
  type Cluster,
  type ClusterMember,
  type ClusterType,
  memberIp,
  roleOf,
  vxlanIdOf,
} from './cluster.js'
import { notFound } from './errors.js'
import type { Pod } from './pod.js'
import type { CreatePodRequest } from './pod-spec.js'
import type { PodService } from './pods.js'

/** A cluster create in the domain's terms: the shape, and the pod settings every member shares. */
export interface CreateClusterRequest {
  readonly name: string
  readonly type: ClusterType
  readonly gpuTypeId: string
  readonly gpuCountPerPod: number
  readonly podCount: number
  /** Container settings, mounts and data centers; compute comes from the fields above. */
  readonly pod: Omit<CreatePodRequest, 'name' | 'computeType' | 'gpuTypeIds' | 'gpuCount' | 'interruptible'>
}

/** A cluster with its members (by rank) and their pods as they are now. */
export interface ClusterState {
  readonly cluster: Cluster
  readonly members: readonly ClusterMember[]
  /** Member pods by id; terminated members are included. */
  readonly pods: ReadonlyMap<string, Pod>
}

export interface ClusterServiceOptions {
  readonly store: Store
  readonly pods: PodService
}

/** What torch.distributed and friends read on each member, as RunPod's Instant Clusters set it. */
const PRIMARY_PORT = '29500'

export const newClusterId = (): string => randomId(14)

export class ClusterService {
  constructor(private readonly o: ClusterServiceOptions) {}

  /**
   * Places every member in one data center (gang scheduling) and records the cluster in the
   * same transaction; no room for all of them anywhere is a no-capacity error and leaves nothing.
   */
  async create(userId: string, req: CreateClusterRequest): Promise<ClusterState> {
    const id = newClusterId()
    const primary = memberIp(CLUSTER_CIDR, 0)
    const { cluster, members, pods } = await this.o.pods.createGang(
      userId,
      {
        ...req.pod,
        name: req.name,
        computeType: 'GPU',
        gpuTypeIds: [req.gpuTypeId],
        gpuCount: req.gpuCountPerPod,
        // Instant Clusters run on dedicated secure-cloud capacity, never on spot.
        cloudType: 'SECURE',
        interruptible: false,
      },
      req.podCount,
      async (tx, pods, now) => {
        const cluster: Cluster = {
          id,
          userId,
          name: req.name,
          type: req.type,
          gpuTypeId: req.gpuTypeId,
          gpuCountPerPod: req.gpuCountPerPod,
          podCount: req.podCount,
          templateId: null,
          dataCenterId: pods[0]!.dataCenterId,
          cidr: CLUSTER_CIDR,
          vxlanId: vxlanIdOf(id),
          createdAt: now,
          deletedAt: null,
        }
        const members = pods.map((pod, rank) => ({
          podId: pod.id,
          clusterId: id,
          rank,
          role: roleOf(req.type, rank),
          ip: memberIp(CLUSTER_CIDR, rank),
        }))
        await tx.clusters.insert(cluster, members)
        return { cluster, members, pods }
      },
      (rank, spec) => ({
        name: `${req.name}-${rank}`,
        // The user's own variables win over the ones the cluster sets.
        env: {
          NODE_RANK: String(rank),
          NUM_NODES: String(req.podCount),
          NODE_ADDR: memberIp(CLUSTER_CIDR, rank),
          PRIMARY_ADDR: primary,
          PRIMARY_PORT,
          MASTER_ADDR: primary,
          MASTER_PORT: PRIMARY_PORT,
          NUM_TRAINERS: String(req.gpuCountPerPod),
          WORLD_SIZE: String(req.podCount * req.gpuCountPerPod),
          ...spec.env,
        },
      }),
    )
    return { cluster, members, pods: new Map(pods.map((p) => [p.id, p])) }
  }

  async list(userId: string): Promise<ClusterState[]> {
    return this.withMembers(userId, await this.o.store.clusters.list(userId))
  }

  async get(userId: string, id: string): Promise<ClusterState> {
    const cluster = await this.o.store.clusters.get(userId, id)
    if (!cluster) throw notFound('cluster')
    return (await this.withMembers(userId, [cluster]))[0]!
  }

  /** Only the name changes: shape, type and container settings are fixed at creation. */
  async rename(userId: string, id: string, name: string): Promise<ClusterState> {
    if (!(await this.o.store.clusters.rename(userId, id, name))) throw notFound('cluster')
    return this.get(userId, id)
  }

  /** Terminates every member and deletes the cluster, together (a racing delete finds a 404). */
  async delete(userId: string, id: string): Promise<void> {
    const { members } = await this.get(userId, id)
    await this.o.pods.terminateGang(
      userId,
      members.map((m) => m.podId),
      async (tx, now) => {
        if (!(await tx.clusters.markDeleted(userId, id, now))) throw notFound('cluster')
      },
    )
  }

  /** The cluster memberships of whichever of these pods belong to one, by pod id. */
  async membershipsOf(userId: string, pods: readonly Pod[]): Promise<Map<string, ClusterMember>> {
    const members = await this.o.store.clusters.membershipsOf(
      userId,
      pods.map((p) => p.id),
    )
    return new Map(members.map((m) => [m.podId, m]))
  }

  /** The cluster of each of the user's member pods, by pod id; deleted clusters' members too. */
  async clusterOfPods(userId: string): Promise<Map<string, string>> {
    const members = await this.o.store.clusters.memberPods(userId)
    return new Map(members.map((m) => [m.podId, m.clusterId]))
  }

  private async withMembers(userId: string, clusters: readonly Cluster[]): Promise<ClusterState[]> {
    const members = await this.o.store.clusters.members(
      userId,
      clusters.map((c) => c.id),
    )
    const pods = await this.o.store.pods.byIds(
      userId,
      members.map((m) => m.podId),
    )
    const podById = new Map(pods.map((p) => [p.id, p]))
    return clusters.map((cluster) => {
      const mine = members.filter((m) => m.clusterId === cluster.id)
      return {
        cluster,
        members: mine,
        pods: new Map(mine.flatMap((m) => (podById.has(m.podId) ? [[m.podId, podById.get(m.podId)!]] : []))),
      }
    })
  }
}
