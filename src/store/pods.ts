import {
  type Insertable,
  type Kysely,
  type Selectable,
  sql,
  type Updateable,
  type UpdateObject,
} from 'kysely'
import type { ComputeType, Pod, PodStatus } from '../domain/pod.js'
import type { UsageInterval } from '../domain/usage.js'
import { toAllocationRow } from './allocations.js'
import { inChunks } from './chunked.js'
import type { Dialect } from './database.js'
import type { ComputeClaim } from './machines.js'
import type { PostgresBatchEnd } from './postgres/batch-end.js'
import { insertNewPods, NEXT_POD_CHANGE } from './postgres/new-pods.js'
import { type PreparedQueries, param } from './prepared.js'
import type { Database, PodsTable } from './schema.js'
import type { PodJournal } from './sqlite/pod-journal.js'
import { closingOpenUsage, openingUsage, toUsageRow } from './usage.js'

export type PodRow = Selectable<PodsTable>

/**
 * The rows a new pod adds, by column name: itself, what it holds on its machine, its first usage
 * interval. The pod row gets its change number when written.
 */
export interface NewPodRows {
  readonly pod: Record<string, unknown>
  readonly allocation: Readonly<Record<string, unknown>>
  readonly usage: Readonly<Record<string, unknown>>
}

/** Whether a PostgreSQL snapshot (`xmin:xmax:xip,…`) shows transactions in progress; never on SQLite (''). */
function inProgress(snapshot: string): boolean {
  return snapshot !== '' && !snapshot.endsWith(':')
}

/** What a pod list needs to know of each pod before rendering it (or taking it from a cache). */
export interface PodHead {
  readonly id: string
  readonly version: number
  readonly status: PodStatus
  readonly readyAt: number | null
  readonly costPerHr: number
  readonly gpuCount: number
  readonly machineId: string
  readonly networkVolumeId: string | null
  readonly templateId: string | null
}

/**
 * A list's heads come back packed in one string — fields joined by the unit separator, pods by
 * the record separator, in list order — because building one JS object per row costs ten times
 * more than the query itself. Ids never contain these control characters.
 */
const FIELD = '\u001f'
const RECORD = '\u001e'
const HEAD_COLUMNS = [
  'id',
  'version',
  'status',
  'ready_at',
  'cost_per_hr',
  'gpu_count',
  'machine_id',
  'network_volume_id',
  'template_id',
]
const ORDER = sql`created_at desc, id desc`

function packedHeads(dialect: Dialect) {
  const char = (code: number) =>
    dialect === 'postgres' ? sql`chr(${sql.lit(code)})` : sql`char(${sql.lit(code)})`
  const fields = sql.join(
    HEAD_COLUMNS.map((column) => sql`coalesce(cast(${sql.ref(column)} as text), '')`),
    sql` || ${char(31)} || `,
  )
  return dialect === 'postgres'
    ? sql<string | null>`string_agg(${fields}, ${char(30)} order by ${ORDER})`
    : sql<string | null>`group_concat(${fields}, ${char(30)} order by ${ORDER})`
}

const PACKED_HEADS = { sqlite: packedHeads('sqlite'), postgres: packedHeads('postgres') } as const

/** Filters of a pod list, already translated to the domain's vocabulary. */
export interface PodQuery {
  readonly id?: string
  /** Terminated pods are history: left out unless these statuses ask for them. */
  readonly statuses?: readonly PodStatus[]
  readonly computeType?: ComputeType
  readonly cpuFlavorIds?: readonly string[]
  readonly dataCenterIds?: readonly string[]
  readonly gpuTypeIds?: readonly string[]
  readonly endpointId?: string
  readonly imageName?: string
  readonly name?: string
  readonly networkVolumeId?: string
  readonly templateId?: string
  /** Serverless workers (pods with an endpoint) are left out unless asked for. */
  readonly includeWorkers: boolean
}

const flag = (b: boolean) => (b ? 1 : 0)

export function toPod(row: PodRow): Pod {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    image: row.image,
    status: row.status as PodStatus,
    machineId: row.machine_id,
    dataCenterId: row.data_center_id,
    computeType: row.compute_type as ComputeType,
    gpuTypeId: row.gpu_type_id,
    gpuCount: row.gpu_count,
    cpuFlavorId: row.cpu_flavor_id,
    vcpuCount: row.vcpu_count,
    memoryInGb: row.memory_gb,
    containerDiskInGb: row.container_disk_gb,
    volumeInGb: row.volume_gb,
    volumeMountPath: row.volume_mount_path,
    volumeEncrypted: row.volume_encrypted === 1,
    ports: JSON.parse(row.ports),
    portMappings: JSON.parse(row.port_mappings),
    publicIp: row.public_ip,
    env: JSON.parse(row.env),
    dockerEntrypoint: JSON.parse(row.docker_entrypoint),
    dockerStartCmd: JSON.parse(row.docker_start_cmd),
    cloudType: row.cloud_type as Pod['cloudType'],
    interruptible: row.interruptible === 1,
    locked: row.locked === 1,
    globalNetworking: row.global_networking === 1,
    templateId: row.template_id,
    networkVolumeId: row.network_volume_id,
    endpointId: row.endpoint_id,
    containerRegistryAuthId: row.container_registry_auth_id,
    slsVersion: row.sls_version,
    costPerHr: row.cost_per_hr,
    lastStartedAt: row.last_started_at,
    lastStatusChange: row.last_status_change,
    readyAt: row.ready_at,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    version: row.version,
  }
}

/**
 * Every column a write may change: all but the pod's id, owner and creation time. Built as one
 * literal (and `toPodRow` adds the rest by assignment): spreading it into a new object with more
 * fields would take V8's slow path on every pod write.
 */
function podChanges(pod: Pod): Updateable<PodsTable> {
  return {
    name: pod.name,
    image: pod.image,
    status: pod.status,
    machine_id: pod.machineId,
    data_center_id: pod.dataCenterId,
    compute_type: pod.computeType,
    gpu_type_id: pod.gpuTypeId,
    gpu_count: pod.gpuCount,
    cpu_flavor_id: pod.cpuFlavorId,
    vcpu_count: pod.vcpuCount,
    memory_gb: pod.memoryInGb,
    container_disk_gb: pod.containerDiskInGb,
    volume_gb: pod.volumeInGb,
    volume_mount_path: pod.volumeMountPath,
    volume_encrypted: flag(pod.volumeEncrypted),
    ports: JSON.stringify(pod.ports),
    port_mappings: JSON.stringify(pod.portMappings),
    public_ip: pod.publicIp,
    env: JSON.stringify(pod.env),
    docker_entrypoint: JSON.stringify(pod.dockerEntrypoint),
    docker_start_cmd: JSON.stringify(pod.dockerStartCmd),
    cloud_type: pod.cloudType,
    interruptible: flag(pod.interruptible),
    locked: flag(pod.locked),
    global_networking: flag(pod.globalNetworking),
    template_id: pod.templateId,
    network_volume_id: pod.networkVolumeId,
    endpoint_id: pod.endpointId,
    container_registry_auth_id: pod.containerRegistryAuthId,
    sls_version: pod.slsVersion,
    cost_per_hr: pod.costPerHr,
    last_started_at: pod.lastStartedAt,
    last_status_change: pod.lastStatusChange,
    ready_at: pod.readyAt,
    updated_at: pod.updatedAt,
    version: pod.version,
  }
}

export function toPodRow(pod: Pod): Insertable<PodsTable> {
  const row = podChanges(pod) as Insertable<PodsTable>
  row.id = pod.id
  row.user_id = pod.userId
  row.created_at = pod.createdAt
  return row
}

/** Every query here takes the owner's user id: no pod is reachable without it. */
export class PodRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly dialect: Dialect,
    private readonly prepared: PreparedQueries,
    private readonly journal?: PodJournal,
    /** PostgreSQL: the end of the batch this repository writes in, if any (`Store.batched`). */
    private readonly batchEnd?: PostgresBatchEnd,
  ) {}

  async list(userId: string, q: PodQuery): Promise<Pod[]> {
    const rows = await this.where(userId, q)
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .execute()
    return rows.map(toPod)
  }

  /**
   * One page of the user's live pods (not terminated, not serverless workers; cluster members
   * unless `excludeClusterPods`), newest first,
   * starting after `after` in that order. Keyset paging over (created_at, id): pods created or
   * deleted meanwhile never shift a page, so none is skipped or repeated. Reads pods_user_heads.
   */
  async page(
    userId: string,
    p: { after?: { createdAt: number; id: string }; limit: number; excludeClusterPods?: boolean },
  ): Promise<Pod[]> {
    let query = this.where(userId, { includeWorkers: false })
    if (p.excludeClusterPods) {
      query = query.where(({ eb, exists, not, selectFrom }) =>
        not(
          exists(
            selectFrom('cluster_members')
              .select('pod_id')
              .where('cluster_members.pod_id', '=', eb.ref('pods.id')),
          ),
        ),
      )
    }
    const after = p.after
    if (after) {
      query = query.where((eb) =>
        eb.or([
          eb('created_at', '<', after.createdAt),
          eb.and([eb('created_at', '=', after.createdAt), eb('id', '<', after.id)]),
        ]),
      )
    }
    const rows = await query
      .selectAll()
      .orderBy('created_at', 'desc')
      .orderBy('id', 'desc')
      .limit(p.limit)
      .execute()
    return rows.map(toPod)
  }

  /**
   * The same list as `list`, reading only what deciding how to render each pod needs; the
   * unfiltered list reads nothing but the pods_user_heads index.
   */
  async listHeads(userId: string, q: PodQuery): Promise<PodHead[]> {
    const row = await this.where(userId, q).select(PACKED_HEADS[this.dialect].as('heads')).executeTakeFirst()
    if (!row?.heads) return []
    return row.heads.split(RECORD).map((record) => {
      const f = record.split(FIELD)
      return {
        id: f[0]!,
        version: Number(f[1]),
        status: f[2] as PodStatus,
        readyAt: f[3] === '' ? null : Number(f[3]),
        costPerHr: Number(f[4]),
        gpuCount: Number(f[5]),
        machineId: f[6]!,
        networkVolumeId: f[7] === '' ? null : f[7]!,
        templateId: f[8] === '' ? null : f[8]!,
      }
    })
  }

  /**
   * A string that changes whenever anything a rendering of the user's pod list depends on is
   * written: any pod (every write stamps a new change number), savings plans,
   * and — when they are embedded — network volumes and templates. Cheap: it reads indexes only.
   */
  async listSignature(userId: string, embeds: { volumes?: boolean; templates?: boolean }): Promise<string> {
    const key = `pods.listSignature:${embeds.volumes ? 'v' : ''}${embeds.templates ? 't' : ''}`
    const { rows } = await this.prepared.run(
      this.db as Kysely<unknown>,
      key,
      () => this.signatureQuery(param('userId'), embeds),
      {
        userId,
      },
    )
    const row = rows[0]!
    const signature = `${row.pods}:${row.plans}:${row.volumes}:${row.templates}`
    // PostgreSQL hands out change numbers as statements run, not in commit order: a transaction in
    // progress now may commit a change under a number lower than the highest seen here, leaving
    // the highest unchanged. A signature read while any transaction is in progress therefore
    // carries the snapshot, so it matches no later one. (Every pod write takes an xid before its
    // number, `NEXT_POD_CHANGE`, so none can hold a number unseen here without being in progress.)
    return inProgress(row.snapshot) ? `${signature}:${row.snapshot}` : signature
  }

  private signatureQuery(userId: string, embeds: { volumes?: boolean; templates?: boolean }) {
    return this.db.selectNoFrom((eb) => [
      // One index lookup: the highest change number among the user's pods.
      eb
        .selectFrom('pods')
        .select(sql<string>`coalesce(max(change_seq), 0)`.as('s'))
        .where('user_id', '=', userId)
        .as('pods'),
      eb
        .selectFrom('savings_plans')
        .select((p) => p.fn.countAll<number>().as('n'))
        .where('user_id', '=', userId)
        .as('plans'),
      embeds.volumes
        ? eb
            .selectFrom('network_volumes')
            .select(sql<string>`count(*) || ':' || coalesce(sum(version), 0)`.as('s'))
            .where('user_id', '=', userId)
            .as('volumes')
        : sql<string>`''`.as('volumes'),
      embeds.templates
        ? eb
            .selectFrom('templates')
            .select(sql<string>`count(*) || ':' || coalesce(sum(version), 0)`.as('s'))
            .where('id', 'in', (t) =>
              t
                .selectFrom('pods')
                .select('template_id')
                .where('user_id', '=', userId)
                .where('template_id', 'is not', null),
            )
            .as('templates')
        : sql<string>`''`.as('templates'),
      this.dialect === 'postgres'
        ? sql<string>`pg_current_snapshot()::text`.as('snapshot')
        : sql<string>`''`.as('snapshot'),
    ])
  }

  /** Full pods of this user by id (in no particular order). */
  async byIds(userId: string, ids: readonly string[]): Promise<Pod[]> {
    const rows = await inChunks(ids, (chunk) =>
      this.db.selectFrom('pods').selectAll().where('user_id', '=', userId).where('id', 'in', chunk).execute(),
    )
    return rows.map(toPod)
  }

  private where(userId: string, q: PodQuery) {
    let query = this.db.selectFrom('pods').where('user_id', '=', userId)
    if (q.statuses) query = query.where('status', 'in', [...q.statuses])
    else query = query.where('status', '!=', 'TERMINATED')
    if (!q.includeWorkers) query = query.where('endpoint_id', 'is', null)
    if (q.id !== undefined) query = query.where('id', '=', q.id)
    if (q.computeType) query = query.where('compute_type', '=', q.computeType)
    if (q.cpuFlavorIds) query = query.where('cpu_flavor_id', 'in', [...q.cpuFlavorIds])
    if (q.dataCenterIds) query = query.where('data_center_id', 'in', [...q.dataCenterIds])
    if (q.gpuTypeIds) query = query.where('gpu_type_id', 'in', [...q.gpuTypeIds])
    if (q.endpointId !== undefined) query = query.where('endpoint_id', '=', q.endpointId)
    if (q.imageName !== undefined) query = query.where('image', '=', q.imageName)
    if (q.name !== undefined) query = query.where('name', '=', q.name)
    if (q.networkVolumeId !== undefined) query = query.where('network_volume_id', '=', q.networkVolumeId)
    if (q.templateId !== undefined) query = query.where('template_id', '=', q.templateId)
    return query
  }

  /** A pod of this user that is not terminated. */
  async get(userId: string, id: string): Promise<Pod | undefined> {
    const { rows } = await this.prepared.run(
      this.db as Kysely<unknown>,
      'pods.get',
      () =>
        this.db
          .selectFrom('pods')
          .selectAll()
          .where('id', '=', param('id'))
          .where('user_id', '=', param('userId'))
          .where('status', '!=', 'TERMINATED'),
      { id, userId },
    )
    return rows[0] && toPod(rows[0])
  }

  /** Fleet operations only (drain, failure, maintenance, preemption): a pod of any user. */
  async getAnyUser(id: string): Promise<Pod | undefined> {
    const row = await this.db
      .selectFrom('pods')
      .selectAll()
      .where('id', '=', id)
      .where('status', '!=', 'TERMINATED')
      .executeTakeFirst()
    return row && toPod(row)
  }

  /** Fleet operations only: the live pods placed on a machine, of every user, newest first. */
  async onMachine(machineId: string, options: { interruptibleOnly?: boolean } = {}): Promise<Pod[]> {
    let query = this.db
      .selectFrom('pods')
      .selectAll()
      .where('machine_id', '=', machineId)
      .where('status', '!=', 'TERMINATED')
    if (options.interruptibleOnly) query = query.where('interruptible', '=', 1)
    const rows = await query.orderBy('created_at', 'desc').orderBy('id', 'desc').execute()
    return rows.map(toPod)
  }

  /**
   * Records a new pod with what it holds on its machine and its first usage interval (the claim on
   * the machine itself is the caller's). On SQLite that is one journal row, written into the
   * tables before anything reads them (src/store/sqlite/pod-journal.ts); on PostgreSQL, inside a
   * batch, the rows wait for the end of the batch and go in one statement with every other new
   * pod's and their machine claims (`PostgresBatchEnd`). Until then the batch's later writes do
   * not see the pod: a preemption search may then miss a spot pod created beside it, which only
   * makes it find less to take back.
   */
  async insertNew(pod: Pod, holds: ComputeClaim, usage: UsageInterval): Promise<void> {
    const rows: NewPodRows = {
      pod: toPodRow(pod),
      allocation: toAllocationRow(pod.id, pod.machineId, holds),
      usage: toUsageRow(usage),
    }
    if (this.batchEnd) {
      this.batchEnd.addPod(rows)
      return
    }
    if (this.dialect === 'postgres') {
      await insertNewPods(this.db, [rows])
      return
    }
    // openDatabase gives every SQLite store its journal.
    await this.prepared.run(
      this.db as Kysely<unknown>,
      'pods.journal',
      () => this.db.insertInto('pod_journal').values({ entry: param('entry') }),
      { entry: JSON.stringify(rows) },
    )
    this.journal!.appended(pod.interruptible)
  }

  /** The next store-wide change number: a sequence on PostgreSQL, highest-plus-one on SQLite's single writer. */
  private nextChange() {
    return this.dialect === 'postgres'
      ? sql.raw<number>(NEXT_POD_CHANGE)
      : sql<number>`(select coalesce(max(change_seq), 0) + 1 from pods)`
  }

  /**
   * Writes `next` over the pod only if nobody changed it since `expectedVersion` was read
   * (optimistic concurrency); false on a lost race. `usage`, if given, ends the pod's open usage interval at `usage.at` and opens
   * `usage.next` (what the pod is billed for changed): on PostgreSQL in the same statement, as
   * data-modifying WITHs, since there each statement is a round trip inside the batch. Those run even
   * when the pod had changed; the caller then rolls the transaction back (`LostRace`).
   */
  async replace(
    next: Pod,
    expectedVersion: number,
    usage?: { readonly at: number; readonly next?: UsageInterval },
  ): Promise<boolean> {
    const changes: UpdateObject<Database, 'pods'> = podChanges(next)
    changes.change_seq = this.nextChange()
    const update = (db: Pick<Kysely<Database>, 'updateTable'>) =>
      db
        .updateTable('pods')
        .set(changes)
        .where('id', '=', next.id)
        .where('user_id', '=', next.userId)
        .where('version', '=', expectedVersion)
    const owner = { podId: next.id }
    if (usage && this.dialect === 'postgres') {
      const closing = this.db.with('closed', (db) => closingOpenUsage(db, owner, usage.at))
      const opened = usage.next
      const result = await update(
        opened ? closing.with('opened', (db) => openingUsage(db, opened)) : closing,
      ).executeTakeFirst()
      return Number(result.numUpdatedRows) === 1
    }
    const result = await update(this.db).executeTakeFirst()
    if (Number(result.numUpdatedRows) !== 1) return false
    if (usage) {
      await closingOpenUsage(this.db, owner, usage.at).execute()
      if (usage.next) await openingUsage(this.db, usage.next).execute()
    }
    return true
  }
}
