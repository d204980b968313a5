import type { Kysely, Selectable } from 'kysely'
import type { VolumeType } from '../domain/resources.js'
import type { UsageInterval, UsageKind } from '../domain/usage.js'
import type { Database, UsageIntervalsTable } from './schema.js'

function toInterval(row: Selectable<UsageIntervalsTable>): UsageInterval {
  return {
    id: row.id,
    userId: row.user_id,
    kind: row.kind as UsageKind,
    podId: row.pod_id,
    endpointId: row.endpoint_id,
    networkVolumeId: row.network_volume_id,
    gpuTypeId: row.gpu_type_id,
    dataCenterId: row.data_center_id,
    gpuCount: row.gpu_count,
    computePerHr: row.compute_per_hr,
    diskGb: row.disk_gb,
    diskPerHr: row.disk_per_hr,
    volumeType: row.volume_type as VolumeType | null,
    startedAt: row.started_at,
    endedAt: row.ended_at,
  }
}

export function toUsageRow(i: UsageInterval): Selectable<UsageIntervalsTable> {
  return {
    id: i.id,
    user_id: i.userId,
    kind: i.kind,
    pod_id: i.podId,
    endpoint_id: i.endpointId,
    network_volume_id: i.networkVolumeId,
    gpu_type_id: i.gpuTypeId,
    data_center_id: i.dataCenterId,
    gpu_count: i.gpuCount,
    compute_per_hr: i.computePerHr,
    disk_gb: i.diskGb,
    disk_per_hr: i.diskPerHr,
    volume_type: i.volumeType,
    started_at: i.startedAt,
    ended_at: i.endedAt,
  }
}

export interface UsageQuery {
  readonly kinds: readonly UsageKind[]
  readonly from: number
  readonly to: number
  /** Only pods of serverless endpoints (true), only plain pods (false), or both (undefined). */
  readonly workers?: boolean
  readonly podId?: string
  readonly endpointId?: string
  readonly networkVolumeId?: string
  readonly gpuTypeIds?: readonly string[]
  readonly dataCenterIds?: readonly string[]
  readonly imageName?: string
  readonly templateId?: string
}

export type UsageOwner = { podId: string } | { networkVolumeId: string }

/** The INSERT opening a usage interval (to run, or to nest in a WITH). */
export function openingUsage(db: Pick<Kysely<Database>, 'insertInto'>, interval: UsageInterval) {
  return db.insertInto('usage_intervals').values(toUsageRow(interval))
}

/** The UPDATE ending the owner's open usage interval at `at` (to run, or to nest in a WITH). */
export function closingOpenUsage(db: Pick<Kysely<Database>, 'updateTable'>, owner: UsageOwner, at: number) {
  const query = db.updateTable('usage_intervals').set({ ended_at: at }).where('ended_at', 'is', null)
  return 'podId' in owner
    ? query.where('pod_id', '=', owner.podId)
    : query.where('network_volume_id', '=', owner.networkVolumeId)
}

export class UsageRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async open(i: UsageInterval): Promise<void> {
    await openingUsage(this.db, i).execute()
  }

  /** Ends whatever interval of this pod or volume is still open. */
  async close(owner: UsageOwner, at: number): Promise<void> {
    await closingOpenUsage(this.db, owner, at).execute()
  }

  /** The user's intervals that overlap [from, to), narrowed by the billing filters. */
  async overlapping(userId: string, q: UsageQuery): Promise<UsageInterval[]> {
    let query = this.db
      .selectFrom('usage_intervals as u')
      .leftJoin('pods as p', 'p.id', 'u.pod_id')
      .selectAll('u')
      .where('u.user_id', '=', userId)
      .where('u.kind', 'in', [...q.kinds])
      .where('u.started_at', '<', q.to)
      .where((eb) => eb.or([eb('u.ended_at', 'is', null), eb('u.ended_at', '>', q.from)]))
    if (q.workers === true) query = query.where('u.endpoint_id', 'is not', null)
    if (q.workers === false) query = query.where('u.endpoint_id', 'is', null)
    if (q.podId !== undefined) query = query.where('u.pod_id', '=', q.podId)
    if (q.endpointId !== undefined) query = query.where('u.endpoint_id', '=', q.endpointId)
    if (q.networkVolumeId !== undefined) query = query.where('u.network_volume_id', '=', q.networkVolumeId)
    if (q.gpuTypeIds) query = query.where('u.gpu_type_id', 'in', [...q.gpuTypeIds])
    if (q.dataCenterIds) query = query.where('u.data_center_id', 'in', [...q.dataCenterIds])
    if (q.imageName !== undefined) query = query.where('p.image', '=', q.imageName)
    if (q.templateId !== undefined) query = query.where('p.template_id', '=', q.templateId)
    const rows = await query.orderBy('u.started_at').execute()
    return rows.map(toInterval)
  }

  /** When the pod held compute: its running intervals, oldest first. */
  async runsOf(userId: string, podId: string): Promise<{ startedAt: number; endedAt: number | null }[]> {
    const rows = await this.db
      .selectFrom('usage_intervals')
      .select(['started_at', 'ended_at'])
      .where('pod_id', '=', podId)
      .where('user_id', '=', userId)
      .where('kind', '=', 'pod_running')
      .orderBy('started_at')
      .execute()
    return rows.map((r) => ({ startedAt: r.started_at, endedAt: r.ended_at }))
  }
}
