import {
  type Kysely,
  type RawBuilder,
  type Selectable,
  sql,
  type UpdateQueryBuilder,
  type UpdateResult,
} from 'kysely'
import type { MachineCapacity } from '../scheduler/types.js'
import type { BatchAttempt } from './batcher.js'
import { inChunks } from './chunked.js'
import type { FleetCache } from './fleet-cache.js'
import { freeHostPorts, HOST_PORT_END, hostPortsOf } from './host-ports.js'
import { type BatchClaims, canTake } from './postgres/batch-claims.js'
import type { PostgresBatchEnd } from './postgres/batch-end.js'
import { type PreparedQueries, param } from './prepared.js'
import type { Database, MachinesTable } from './schema.js'
import { READS_INTERRUPTIBLE_PODS_ONLY } from './sqlite/pod-journal.js'

export type MachineRow = Selectable<MachinesTable>

/**
 * The row as an object built in one piece, every column in place. Database drivers build a row
 * column by column, and V8 keeps a 36-column object built that way in dictionary mode: each read is
 * a hash lookup, and copying it (`{ ...row }`) cost ~8 µs against ~1 µs in this shape. The fleet
 * cache keeps its rows so, as they are read for every placement and copied for every claim.
 */
export function machineRow(r: MachineRow): MachineRow {
  return {
    id: r.id,
    data_center_id: r.data_center_id,
    location: r.location,
    country_code: r.country_code,
    secure_cloud: r.secure_cloud,
    gpu_type_id: r.gpu_type_id,
    gpu_count: r.gpu_count,
    gpu_used: r.gpu_used,
    cpu_flavor_id: r.cpu_flavor_id,
    cpu_type_id: r.cpu_type_id,
    vcpu_count: r.vcpu_count,
    vcpu_used: r.vcpu_used,
    memory_gb: r.memory_gb,
    memory_used: r.memory_used,
    disk_gb: r.disk_gb,
    disk_used: r.disk_used,
    disk_throughput_mbps: r.disk_throughput_mbps,
    upload_mbps: r.upload_mbps,
    download_mbps: r.download_mbps,
    cuda_version: r.cuda_version,
    support_public_ip: r.support_public_ip,
    public_ip: r.public_ip,
    min_pod_gpu_count: r.min_pod_gpu_count,
    maintenance_start: r.maintenance_start,
    maintenance_end: r.maintenance_end,
    maintenance_note: r.maintenance_note,
    note: r.note,
    next_port: r.next_port,
    host_ports_wrapped: r.host_ports_wrapped,
    driver: r.driver,
    cordoned: r.cordoned,
    created_at: r.created_at,
    failed_at: r.failed_at,
    failure_note: r.failure_note,
    price_per_gpu: r.price_per_gpu,
    removed_at: r.removed_at,
  }
}

export interface ComputeClaim {
  readonly gpuCount: number
  readonly vcpuCount: number
  readonly memoryGb: number
  readonly diskGb: number
}

/** Statuses in which a pod holds compute on its machine. */
const HOLDING = ['PROVISIONING', 'STARTING', 'RUNNING', 'ERROR']

/**
 * One string instance per distinct value. Rows arrive with fresh copies of the same few GPU type
 * and data center ids; shared instances compare by identity and keep their hash computed, which
 * took ~15% off a placement over 10k machines.
 */
const shared = new Map<string, string>()
function intern(value: string): string
function intern(value: string | null): string | null
function intern(value: string | null): string | null {
  if (value === null) return null
  let instance = shared.get(value)
  if (instance === undefined) {
    instance = value
    shared.set(value, value)
  }
  return instance
}

export function toCapacity(m: MachineRow, spot = { gpus: 0, vcpus: 0, memoryGb: 0 }): MachineCapacity {
  return {
    id: m.id,
    dataCenterId: intern(m.data_center_id),
    countryCode: intern(m.country_code),
    secureCloud: m.secure_cloud === 1,
    gpuTypeId: intern(m.gpu_type_id),
    gpuCount: m.gpu_count,
    gpuFree: m.gpu_count - m.gpu_used,
    cpuFlavorId: intern(m.cpu_flavor_id),
    vcpuCount: m.vcpu_count,
    vcpuFree: m.vcpu_count - m.vcpu_used,
    memoryGb: m.memory_gb,
    memoryFree: m.memory_gb - m.memory_used,
    diskFree: m.disk_gb - m.disk_used,
    diskThroughputMBps: m.disk_throughput_mbps,
    uploadMbps: m.upload_mbps,
    downloadMbps: m.download_mbps,
    cudaVersion: intern(m.cuda_version),
    supportPublicIp: m.support_public_ip === 1,
    minPodGpuCount: m.min_pod_gpu_count,
    cordoned: m.cordoned === 1,
    failed: m.failed_at !== null,
    maintenanceStart: m.maintenance_start,
    maintenanceEnd: m.maintenance_end,
    pricePerGpu: m.price_per_gpu,
    spotGpus: spot.gpus,
    spotVcpus: spot.vcpus,
    spotMemoryGb: spot.memoryGb,
  }
}

/** What a claim takes, as values or as placeholders of a prepared query (`param`). */
interface ClaimValues {
  readonly gpus: unknown
  readonly vcpus: unknown
  readonly memory: unknown
  readonly disk: unknown
  /** When the pod is placed or started (new pods and starts: maintenance windows are checked at it). */
  readonly now: unknown
}

/**
 * What a claim is for: a new pod (the machine must also be uncordoned and out of maintenance), a
 * stopped pod starting again on its machine (out of maintenance; a cordon only keeps new pods
 * off), or more of what a pod already holds (room only).
 */
type ClaimKind = 'new-pod' | 'start' | 'grow'

const CLAIM_PARAMS: ClaimValues = {
  gpus: param('gpus'),
  vcpus: param('vcpus'),
  memory: param('memory'),
  disk: param('disk'),
  now: param('now'),
}

/**
 * What a claim returns: the columns it changes, and what its caller needs. Fewer columns than the
 * whole row: RETURNING every one of the 36 cost a create ~13 µs more (25 against 12 µs a claim).
 */
const CLAIM_CHANGES = [
  'gpu_used',
  'vcpu_used',
  'memory_used',
  'disk_used',
  'next_port',
  'host_ports_wrapped',
  'support_public_ip',
  'public_ip',
] as const
type ClaimChanges = Pick<MachineRow, (typeof CLAIM_CHANGES)[number]>

/** A claim's conditions: the machine is up and has room for it, and what its kind asks. */
function whereCanTake(
  q: UpdateQueryBuilder<Database, 'machines', 'machines', UpdateResult>,
  kind: ClaimKind,
  v: ClaimValues,
) {
  return q
    .where('failed_at', 'is', null)
    .where('removed_at', 'is', null)
    .$if(kind === 'new-pod', (q) => q.where('cordoned', '=', 0))
    .$if(kind !== 'grow', (q) =>
      q.where(
        sql<boolean>`(maintenance_start IS NULL OR maintenance_start > ${v.now} OR (maintenance_end IS NOT NULL AND maintenance_end <= ${v.now}))`,
      ),
    )
    .where(sql<boolean>`gpu_used + ${v.gpus} <= gpu_count`)
    .where(sql<boolean>`vcpu_used + ${v.vcpus} <= vcpu_count`)
    .where(sql<boolean>`memory_used + ${v.memory} <= memory_gb`)
    .where(sql<boolean>`disk_used + ${v.disk} <= disk_gb`)
}

/**
 * Whether a claim of `hostPorts` ports on this machine must look for free ones: its counter
 * wrapped before, or would now.
 */
function searchesPorts(row: MachineRow, hostPorts: number): boolean {
  return row.host_ports_wrapped === 1 || row.next_port + hostPorts > HOST_PORT_END
}

/** Machines a transaction changed (reloaded if it rolls back) or found the cache wrong about (always reloaded). */
export interface CacheFollowUp {
  readonly touched: Set<string>
  readonly stale: Set<string>
}

/** A machine as operators list it: with its live pod count, and its agent when one runs it. */
export type ListedMachine = MachineRow & {
  pod_count: number
  agent_hostname: string | null
  agent_runtime_name: string | null
  agent_runtime_version: string | null
  agent_version: string | null
  agent_last_heartbeat_at: number | null
  agent_runtime_error: string | null
}

export interface MachineFilter {
  readonly id?: string
  readonly dataCenterIds?: readonly string[]
  readonly gpuTypeIds?: readonly string[]
  readonly cordoned?: boolean
  readonly failed?: boolean
  readonly driver?: string
}

export interface CandidateFilter {
  readonly gpuTypeIds?: readonly string[]
  readonly cpuFlavorIds?: readonly string[]
  readonly minGpuFree: number
  readonly minVcpuFree: number
  readonly dataCenterIds: readonly string[]
}

/** A pod on a machine whose maintenance window should have stopped it, with that window. */
export interface MaintenanceDue {
  readonly podId: string
  readonly machineId: string
  readonly start: number
  readonly end: number | null
  readonly note: string | null
}

export class MachineRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly cache: FleetCache,
    private readonly prepared: PreparedQueries,
    /** Inside a transaction: what to reload into the cache once it ends (see Store.transaction). */
    private readonly pending?: CacheFollowUp,
    /** Inside a batch: what to read again should its attempt fail. */
    private readonly attempt?: BatchAttempt,
    /**
     * PostgreSQL, inside a batch: new pods' claims wait for the end of the batch and go in one
     * statement with the new pods (`PostgresBatchEnd`). Not given on SQLite, where a claim costs no
     * round trip.
     */
    private readonly batchEnd?: PostgresBatchEnd,
  ) {}

  /**
   * The claims this batch deferred, written now: run before any other statement on machines in
   * the batch, so it reads and writes them as the claims left them.
   */
  private async settle(): Promise<void> {
    await this.batchEnd?.writeClaims(this.db)
  }

  /** Rows of these machines, if not removed. */
  async rows(ids: readonly string[]): Promise<MachineRow[]> {
    const query = this.db.selectFrom('machines').selectAll().where('removed_at', 'is', null)
    return inChunks(ids, (chunk) => query.where('id', 'in', chunk).execute())
  }

  /** Up to `limit` machines (not removed) in id order after `afterId`: the fleet cache's full read. */
  async page(afterId: string, limit: number): Promise<MachineRow[]> {
    return this.db
      .selectFrom('machines')
      .selectAll()
      .where('removed_at', 'is', null)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute()
  }

  private changed(row: MachineRow | undefined, id: string): void {
    this.touch(id)
    if (row) this.cache.apply(row)
  }

  /** The machine is read again if the transaction fails (its cached row may be ahead of it). */
  private touch(id: string): void {
    this.pending?.touched.add(id)
    this.attempt?.touched.add(id)
  }

  /**
   * Machines that may take a pod, narrowed by type, place and free capacity, from the in-memory
   * fleet. The scheduler re-checks every rule itself, and claims re-check in the database.
   */
  candidates(filter: CandidateFilter): Promise<readonly MachineCapacity[]> {
    if (
      filter.dataCenterIds.length === 0 ||
      filter.gpuTypeIds?.length === 0 ||
      filter.cpuFlavorIds?.length === 0
    ) {
      return Promise.resolve([])
    }
    return this.cache.candidates(filter)
  }

  /** GPU machines where interruptible pods hold compute, with how much: what on-demand pods may reclaim. */
  async withSpotPods(filter: Omit<CandidateFilter, 'cpuFlavorIds'>): Promise<MachineCapacity[]> {
    // Reads pods and allocations, not machine rows: the batch's claims may go on waiting (writing
    // them here, mid-batch, would lock machines out of the order the batch's end locks them in).
    if (filter.dataCenterIds.length === 0 || filter.gpuTypeIds?.length === 0) return []
    // Start from the (few) interruptible pods that hold compute, through the partial index on
    // them; the machines themselves come from the fleet in memory.
    const held = await this.db
      .selectFrom('pods as p')
      .innerJoin('allocations as a', 'a.pod_id', 'p.id')
      .select('p.machine_id')
      .select((eb) => [
        eb.fn.sum<number>('a.gpu_count').as('spot_gpus'),
        eb.fn.sum<number>('a.vcpu_count').as('spot_vcpus'),
        eb.fn.sum<number>('a.memory_gb').as('spot_memory'),
      ])
      // Constants in the text, not parameters: a generic plan for `interruptible = $1` cannot use
      // the partial index, so PostgreSQL bound every call with a custom plan (~390 µs here); as
      // a plain statement it takes ~290 µs in all.
      .where('p.interruptible', '=', sql.lit(1))
      .where(
        'p.status',
        'in',
        HOLDING.map((status) => sql.lit(status)),
      )
      .groupBy('p.machine_id')
      .modifyEnd(sql.raw(READS_INTERRUPTIBLE_PODS_ONLY))
      .execute()
    const dataCenters = new Set(filter.dataCenterIds)
    const types = filter.gpuTypeIds && new Set(filter.gpuTypeIds)
    const found: MachineCapacity[] = []
    for (const h of held) {
      const m = this.cache.row(h.machine_id)
      if (
        !m ||
        m.gpu_type_id === null ||
        (types && !types.has(m.gpu_type_id)) ||
        !dataCenters.has(m.data_center_id)
      )
        continue
      found.push(
        toCapacity(m, {
          gpus: Number(h.spot_gpus),
          vcpus: Number(h.spot_vcpus),
          memoryGb: Number(h.spot_memory),
        }),
      )
    }
    return found
  }

  /**
   * Takes `claim` from the machine if, and only if, it still has that much free: one conditional
   * UPDATE, atomic on SQLite and PostgreSQL alike, so racing requests can never over-allocate.
   * Also reserves `hostPorts` consecutive host ports. A machine that is down takes nothing; a new
   * pod also needs it uncordoned and out of maintenance (at `newPod.now`), a pod starting again
   * out of maintenance (at `start.now`). Returns undefined when the claim fails.
   *
   * Host ports are handed out in sequence. Until a machine's counter first wraps around, the ports
   * after it were never handed out, so the claim takes them as they come; from then on
   * (`claimSearchingPorts`) every range skips the ports its live pods still hold.
   */
  async claim(
    machineId: string,
    claim: ComputeClaim,
    options: { hostPorts?: number; newPod?: { now: number }; start?: { now: number } } = {},
  ): Promise<{ firstHostPort: number; publicIp: string | null } | undefined> {
    const hostPorts = options.hostPorts ?? 0
    const newPodAt = options.newPod?.now
    const kind: ClaimKind = options.newPod ? 'new-pod' : options.start ? 'start' : 'grow'
    const at = newPodAt ?? options.start?.now
    // Only new pods' claims wait: a batch of creates holds little else, while pod actions (start)
    // sit beside stops whose releases would write the claims out one by one anyway.
    const deferred = this.attempt?.shared && newPodAt !== undefined ? this.batchEnd?.claims : undefined
    // The machine as this batch left it, if it claimed there already: the cache may have been
    // read anew from the database since (a refresh, a reload), which has none of the batch's claims.
    const current = deferred?.latest(machineId) ?? this.cache.row(machineId)
    if (current && hostPorts > 0 && searchesPorts(current, hostPorts)) {
      return this.claimSearchingPorts(machineId, claim, hostPorts, kind, at)
    }
    if (current && deferred && newPodAt !== undefined) {
      return this.deferClaim(deferred, current, claim, hostPorts, newPodAt)
    }
    await this.settle()
    // Compiled once per kind: a create runs this for every pod it places.
    const { rows } = await this.prepared.run(
      this.db as Kysely<unknown>,
      `machines.claim.${kind}`,
      () =>
        this.db
          .updateTable('machines')
          .set({
            gpu_used: sql`gpu_used + ${param('gpus')}`,
            vcpu_used: sql`vcpu_used + ${param('vcpus')}`,
            memory_used: sql`memory_used + ${param('memory')}`,
            disk_used: sql`disk_used + ${param('disk')}`,
            next_port: sql`next_port + ${param('ports')}`,
          })
          .where('id', '=', param('id'))
          .where(
            // Ports in sequence only while they have never wrapped (the cache said so; if it was
            // behind, the claim fails and the cache catches up).
            sql<boolean>`(${param('ports')} = 0 OR (host_ports_wrapped = 0 AND next_port + ${param('ports')} <= ${HOST_PORT_END}))`,
          )
          .$call((q) => whereCanTake(q, kind, CLAIM_PARAMS))
          .returning(CLAIM_CHANGES),
      {
        id: machineId,
        gpus: claim.gpuCount,
        vcpus: claim.vcpuCount,
        memory: claim.memoryGb,
        disk: claim.diskGb,
        ports: hostPorts,
        now: at,
      },
    )
    return this.claimed(rows[0], machineId, hostPorts)
  }

  /**
   * A claim on a machine whose host ports wrapped around (or are about to): the ports its live
   * pods hold are read, and the first free run of `hostPorts` from the counter on is taken, with
   * the counter as read as a condition (another replica may move it meanwhile: the claim then
   * fails, like a claim on a machine that filled up). Pods this batch created on the machine are
   * not read on PostgreSQL, where they are written at its end; their ports lie behind the counter,
   * a whole lap of the range away.
   */
  private async claimSearchingPorts(
    machineId: string,
    claim: ComputeClaim,
    hostPorts: number,
    kind: ClaimKind,
    at: number | undefined,
  ): Promise<{ firstHostPort: number; publicIp: string | null } | undefined> {
    await this.settle()
    const [machine, pods] = await Promise.all([
      this.db.selectFrom('machines').select('next_port').where('id', '=', machineId).executeTakeFirst(),
      this.db
        .selectFrom('pods')
        .select('port_mappings')
        .where('machine_id', '=', machineId)
        .where('status', '!=', 'TERMINATED')
        .where('port_mappings', '!=', '{}')
        .execute(),
    ])
    if (!machine) return this.claimed(undefined, machineId, hostPorts)
    const held = new Set(pods.flatMap((p) => hostPortsOf(p.port_mappings)))
    const first = freeHostPorts(held, machine.next_port, hostPorts)
    if (first === undefined) return undefined // every port of the machine is held
    const row = await this.db
      .updateTable('machines')
      .set({
        gpu_used: sql`gpu_used + ${claim.gpuCount}`,
        vcpu_used: sql`vcpu_used + ${claim.vcpuCount}`,
        memory_used: sql`memory_used + ${claim.memoryGb}`,
        disk_used: sql`disk_used + ${claim.diskGb}`,
        next_port: first + hostPorts,
        host_ports_wrapped: 1,
      })
      .where('id', '=', machineId)
      .where('next_port', '=', machine.next_port)
      .$call((q) =>
        whereCanTake(q, kind, {
          gpus: claim.gpuCount,
          vcpus: claim.vcpuCount,
          memory: claim.memoryGb,
          disk: claim.diskGb,
          now: at,
        }),
      )
      .returning(CLAIM_CHANGES)
      .executeTakeFirst()
    return this.claimed(row, machineId, hostPorts)
  }

  /**
   * Takes in the claim's outcome: the columns it changed, or undefined if refused. The cached row
   * takes them; without one (a machine another replica added since the fleet was read), or after a
   * refusal (full, cordoned or down after all: the cache was behind), the fleet reads the machine
   * again (after the transaction, which holds the connection).
   */
  private async claimed(
    changes: ClaimChanges | undefined,
    machineId: string,
    hostPorts: number,
  ): Promise<{ firstHostPort: number; publicIp: string | null } | undefined> {
    this.touch(machineId)
    if (!changes || !this.cache.update(machineId, changes)) {
      if (this.pending) this.pending.stale.add(machineId)
      else await this.cache.reload([machineId])
    }
    if (!changes) return undefined
    return {
      firstHostPort: changes.next_port - hostPorts,
      publicIp: changes.support_public_ip === 1 ? changes.public_ip : null,
    }
  }

  /**
   * A claim judged on the fleet cache, which takes it at once (so the batch's next placements see
   * it), and written with the batch's other claims at its end. Should the database disagree then
   * (another replica took the room, or the ports), the attempt fails and the batch runs again
   * once the cache has read the machines again; refused a second time, it runs one write at a
   * time, with every claim checked as it is made.
   */
  private deferClaim(
    deferred: BatchClaims,
    row: MachineRow,
    claim: ComputeClaim,
    hostPorts: number,
    newPodAt: number,
  ): { firstHostPort: number; publicIp: string | null } | undefined {
    if (!canTake(row, claim, newPodAt)) return undefined
    // Never a wrap here: a claim whose ports wrap searches for them (`claimSearchingPorts`).
    const nextPort = row.next_port + hostPorts
    const after: MachineRow = {
      ...row,
      gpu_used: row.gpu_used + claim.gpuCount,
      vcpu_used: row.vcpu_used + claim.vcpuCount,
      memory_used: row.memory_used + claim.memoryGb,
      disk_used: row.disk_used + claim.diskGb,
      next_port: nextPort,
    }
    deferred.add(row, after, newPodAt)
    this.changed(after, row.id)
    return {
      firstHostPort: nextPort - hostPorts,
      publicIp: row.support_public_ip === 1 ? row.public_ip : null,
    }
  }

  /** Gives back what a pod held. */
  async release(machineId: string, claim: ComputeClaim): Promise<void> {
    await this.giveBack(machineId, {
      gpu: claim.gpuCount,
      vcpu: claim.vcpuCount,
      memory: claim.memoryGb,
      disk: claim.diskGb,
    })
  }

  /**
   * Gives back what the pod's allocation holds on this machine (its disk too if `disk`), read from
   * the allocation in the same statement (on PostgreSQL a read first would be a round trip of its
   * own); the allocation itself is left for the caller to change. False when the pod holds nothing.
   */
  async releaseHeldBy(podId: string, machineId: string, options: { disk: boolean }): Promise<boolean> {
    const held = (column: 'gpu_count' | 'vcpu_count' | 'memory_gb' | 'disk_gb') =>
      sql<number>`(select ${sql.ref(`allocations.${column}`)} from allocations where pod_id = ${podId})`
    const row = await this.giveBack(
      machineId,
      {
        gpu: held('gpu_count'),
        vcpu: held('vcpu_count'),
        memory: held('memory_gb'),
        disk: options.disk ? held('disk_gb') : 0,
      },
      podId,
    )
    return row !== undefined
  }

  /** Subtracts `taken` from the machine's use; only if `heldBy` (a pod) has an allocation, if given. */
  private async giveBack(
    machineId: string,
    taken: Readonly<Record<'gpu' | 'vcpu' | 'memory' | 'disk', number | RawBuilder<number>>>,
    heldBy?: string,
  ): Promise<MachineRow | undefined> {
    await this.settle()
    let query = this.db
      .updateTable('machines')
      .set({
        gpu_used: sql`gpu_used - ${taken.gpu}`,
        vcpu_used: sql`vcpu_used - ${taken.vcpu}`,
        memory_used: sql`memory_used - ${taken.memory}`,
        disk_used: sql`disk_used - ${taken.disk}`,
      })
      .where('id', '=', machineId)
    if (heldBy !== undefined)
      query = query.where(({ exists, selectFrom }) =>
        exists(selectFrom('allocations').select('pod_id').where('pod_id', '=', heldBy)),
      )
    const row = await query.returningAll().executeTakeFirst()
    this.changed(row, machineId)
    return row
  }

  /** Machines by id: from the in-memory fleet, and from the database for removed ones. */
  async byIds(ids: readonly string[]): Promise<MachineRow[]> {
    await this.cache.ready()
    const found: MachineRow[] = []
    const missing: string[] = []
    for (const id of ids) {
      const row = this.cache.row(id)
      if (row) found.push(row)
      else missing.push(id)
    }
    if (missing.length === 0) return found
    const rest = await inChunks(missing, (chunk) =>
      this.db.selectFrom('machines').selectAll().where('id', 'in', chunk).execute(),
    )
    return [...found, ...rest]
  }

  /** Machines for operators, with how many live pods each holds. */
  async list(filter: MachineFilter = {}): Promise<ListedMachine[]> {
    let query = this.db
      .selectFrom('machines as m')
      .leftJoin('machine_agents as a', 'a.machine_id', 'm.id')
      .selectAll('m')
      .select([
        'a.hostname as agent_hostname',
        'a.runtime_name as agent_runtime_name',
        'a.runtime_version as agent_runtime_version',
        'a.agent_version as agent_version',
        'a.last_heartbeat_at as agent_last_heartbeat_at',
        'a.runtime_error as agent_runtime_error',
      ])
      .select((eb) =>
        eb
          .selectFrom('pods as p')
          .select(eb.fn.countAll<number>().as('n'))
          .whereRef('p.machine_id', '=', 'm.id')
          .where('p.status', '!=', 'TERMINATED')
          .as('pod_count'),
      )
      .where('m.removed_at', 'is', null)
    if (filter.id !== undefined) query = query.where('m.id', '=', filter.id)
    if (filter.dataCenterIds) query = query.where('m.data_center_id', 'in', [...filter.dataCenterIds])
    if (filter.gpuTypeIds) query = query.where('m.gpu_type_id', 'in', [...filter.gpuTypeIds])
    if (filter.cordoned !== undefined) query = query.where('m.cordoned', '=', filter.cordoned ? 1 : 0)
    if (filter.failed !== undefined) query = query.where('m.failed_at', filter.failed ? 'is not' : 'is', null)
    if (filter.driver !== undefined) query = query.where('m.driver', '=', filter.driver)
    const rows = await query.orderBy('m.data_center_id').orderBy('m.id').execute()
    return rows.map((r) => ({
      ...r,
      pod_count: Number(r.pod_count ?? 0),
      agent_last_heartbeat_at: r.agent_last_heartbeat_at === null ? null : Number(r.agent_last_heartbeat_at),
    }))
  }

  /**
   * Pods a maintenance window has yet to stop: those holding compute on a machine whose window has
   * opened by `now` and that were started before it opened (however long ago it closed: time can
   * jump past a whole window between two passes), or are there while it is still open.
   *
   * Machines first, through the index on maintenance_start; pods only when some machine has a
   * window, through pods_machine_status. Most passes (every 5 s) find no window and read no pods:
   * on SQLite a read of pods writes the journal of new pods out first, which under a burst of
   * creates took ~45 µs a pending pod in the middle of it.
   */
  async maintenanceDue(now: number): Promise<MaintenanceDue[]> {
    const machines = await this.db
      .selectFrom('machines')
      .select(['id', 'maintenance_start', 'maintenance_end', 'maintenance_note'])
      .where('maintenance_start', '<=', now)
      .where('removed_at', 'is', null)
      .execute()
    if (machines.length === 0) return []
    const byId = new Map(machines.map((m) => [m.id, m]))
    const pods = await inChunks(
      machines.map((m) => m.id),
      (chunk) =>
        this.db
          .selectFrom('pods')
          .select(['id', 'machine_id', 'last_started_at'])
          .where('machine_id', 'in', chunk)
          .where('status', 'in', HOLDING)
          .execute(),
    )
    const due: MaintenanceDue[] = []
    for (const p of pods) {
      const m = byId.get(p.machine_id)!
      const start = m.maintenance_start!
      const startedBefore = p.last_started_at !== null && p.last_started_at < start
      if (startedBefore || m.maintenance_end === null || m.maintenance_end > now) {
        due.push({
          podId: p.id,
          machineId: m.id,
          start,
          end: m.maintenance_end,
          note: m.maintenance_note,
        })
      }
    }
    return due
  }

  async update(id: string, changes: Partial<Omit<MachineRow, 'id'>>): Promise<boolean> {
    await this.settle()
    const row = await this.db
      .updateTable('machines')
      .set(changes)
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst()
    this.changed(row, id)
    return row !== undefined
  }

  /** Removes a machine, only if no live pod is placed on it; false otherwise. */
  async removeIfEmpty(id: string, now: number): Promise<boolean> {
    await this.settle()
    const row = await this.db
      .updateTable('machines')
      .set({ removed_at: now })
      .where('id', '=', id)
      .where('removed_at', 'is', null)
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('pods')
              .select('id')
              .where('machine_id', '=', id)
              .where('status', '!=', 'TERMINATED'),
          ),
        ),
      )
      .returningAll()
      .executeTakeFirst()
    // Out of the fleet cache at once: nothing may be placed on it any more.
    this.changed(row, id)
    return row !== undefined
  }

  async get(id: string): Promise<MachineRow | undefined> {
    await this.settle()
    return this.db.selectFrom('machines').selectAll().where('id', '=', id).executeTakeFirst()
  }

  async count(): Promise<number> {
    const row = await this.db
      .selectFrom('machines')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow()
    return Number(row.n)
  }

  /** Inserts machines, skipping ids that already exist (so a seed can be re-run). */
  async insertMany(rows: readonly MachineRow[]): Promise<number> {
    let inserted = 0
    for (let i = 0; i < rows.length; i += 500) {
      const result = await this.db
        .insertInto('machines')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst()
      inserted += Number(result.numInsertedOrUpdatedRows ?? 0)
    }
    if (this.pending) for (const r of rows) this.pending.stale.add(r.id)
    else await this.cache.reload(rows.map((r) => r.id))
    return inserted
  }
}
