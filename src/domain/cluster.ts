import { createHash } from 'node:crypto'

/**
 * The Instant Cluster model (RunPod REST v2): `podCount` identical GPU pods in one data center,
 * placed together or not at all, joined by a private VXLAN overlay. Members are ordinary pods of
 * the user (they run, stop and bill like pods); the cluster adds their rank, role and address.
 */

export const CLUSTER_TYPES = ['APPLICATION', 'TRAINING', 'SLURM', 'RAY'] as const
export type ClusterType = (typeof CLUSTER_TYPES)[number]

export const CLUSTER_ROLES = ['SLURM_CONTROLLER', 'SLURM_COMPUTE', 'RAY_HEAD', 'RAY_WORKER'] as const
export type ClusterRole = (typeof CLUSTER_ROLES)[number]

/** RunPod's overlay block for every cluster: members never see another cluster's network. */
export const CLUSTER_CIDR = '10.65.0.0/16'
/** The IANA VXLAN port. */
export const VXLAN_PORT = 4789
export const MIN_CLUSTER_PODS = 2
export const MAX_CLUSTER_PODS = 250

export interface Cluster {
  readonly id: string
  readonly userId: string
  readonly name: string
  readonly type: ClusterType
  readonly gpuTypeId: string
  readonly gpuCountPerPod: number
  readonly podCount: number
  readonly templateId: string | null
  readonly dataCenterId: string
  readonly cidr: string
  readonly vxlanId: number
  readonly createdAt: number
  readonly deletedAt: number | null
}

export interface ClusterMember {
  readonly podId: string
  readonly clusterId: string
  readonly rank: number
  readonly role: ClusterRole | null
  readonly ip: string
}

/** Rank 0 leads: the Slurm controller or the Ray head; TRAINING and APPLICATION assign no roles. */
export function roleOf(type: ClusterType, rank: number): ClusterRole | null {
  if (type === 'SLURM') return rank === 0 ? 'SLURM_CONTROLLER' : 'SLURM_COMPUTE'
  if (type === 'RAY') return rank === 0 ? 'RAY_HEAD' : 'RAY_WORKER'
  return null
}

/**
 * The overlay address of member `rank`: the block's network address plus 2 + rank (".1" is the
 * gateway), e.g. 10.65.0.0/16 → 10.65.0.2, 10.65.0.3, … carrying into the third octet past .255.
 */
export function memberIp(cidr: string, rank: number): string {
  const [base] = cidr.split('/') as [string]
  const n = base.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0) + 2 + rank
  return [24, 16, 8, 0].map((shift) => Math.floor(n / 2 ** shift) % 256).join('.')
}

/** A VXLAN network id (24 bits, never 0) drawn from the cluster id: stable, and no shared counter. */
export function vxlanIdOf(clusterId: string): number {
  return 1 + (createHash('sha256').update(clusterId).digest().readUIntBE(0, 3) % 0xfffffe)
}
