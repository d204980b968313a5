import { VXLAN_PORT } from '../../../domain/cluster.js'
import type { ClusterState } from '../../../domain/clusters.js'
import type { PodStatus } from '../../../domain/pod.js'
import { statusAt } from '../../../domain/pod-lifecycle.js'
import { iso } from '../common.js'
import type { Cluster } from './schemas.js'

/**
 * A cluster as RunPod's v2 API shows it: its shape, a count of its live members by status, its
 * overlay network and its primary (rank 0), whose `sshEndpoint` appears once it is RUNNING with
 * 22/tcp published. Terminated members (a v1 DELETE can end one) no longer count.
 */
export function v2ClusterView({ cluster, members, pods }: ClusterState, now: number): Cluster {
  const byStatus: Partial<Record<PodStatus, number>> = {}
  let total = 0
  for (const member of members) {
    const pod = pods.get(member.podId)
    if (!pod) continue
    const status = statusAt(pod, now)
    if (status === 'TERMINATED') continue
    total += 1
    byStatus[status] = (byStatus[status] ?? 0) + 1
  }
  const head = members.find((m) => m.rank === 0)
  const headPod = head && pods.get(head.podId)
  let primary: Cluster['primary']
  if (headPod) {
    const status = statusAt(headPod, now)
    const sshPort = headPod.ports.includes('22/tcp') ? headPod.portMappings['22'] : undefined
    primary = {
      podId: headPod.id,
      status,
      ...(status === 'RUNNING' && sshPort !== undefined && headPod.publicIp !== null
        ? { sshEndpoint: `${headPod.publicIp}:${sshPort}` }
        : {}),
    }
  }
  return {
    id: cluster.id,
    name: cluster.name,
    type: cluster.type,
    compute: {
      gpuTypeId: cluster.gpuTypeId,
      gpuCountPerPod: cluster.gpuCountPerPod,
      podCount: cluster.podCount,
    },
    ...(cluster.templateId === null ? {} : { template: cluster.templateId }),
    dataCenterId: cluster.dataCenterId,
    pods: { total, byStatus },
    network: { cidr: cluster.cidr, vxlanId: cluster.vxlanId, vxlanPort: VXLAN_PORT },
    ...(primary ? { primary } : {}),
    createdAt: iso(cluster.createdAt),
  }
}
