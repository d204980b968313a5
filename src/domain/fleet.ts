import type { Clock } from '../clock.js'
import type { Catalog } from '../fleet/catalog.js'
import { PRICE_RATIOS } from '../fleet/catalog-data.js'
import { newMachineId } from '../ids.js'
import { isUniqueViolation } from '../store/errors.js'
import { HOST_PORT_FIRST } from '../store/host-ports.js'
import type { MachineFilter, MachineRow, MaintenanceDue } from '../store/machines.js'
import type { Store } from '../store/store.js'
import { ApiError, badRequest, notFound } from './errors.js'
import type { Pod } from './pod.js'
import { holdsCompute, statusAt } from './pod-lifecycle.js'
import type { PodService } from './pods.js'

export const machineNotFound = () => notFound('machine')

export type MachineState = 'ready' | 'cordoned' | 'maintenance' | 'failed'

/** What an operator sees of a machine's condition, worst first. */
export function machineState(m: MachineRow, now: number): MachineState {
  if (m.failed_at !== null) return 'failed'
  if (
    m.maintenance_start !== null &&
    m.maintenance_start <= now &&
    (m.maintenance_end === null || now < m.maintenance_end)
  ) {
    return 'maintenance'
  }
  return m.cordoned === 1 ? 'cordoned' : 'ready'
}

export interface MachineInput {
  readonly id?: string
  readonly dataCenterId: string
  readonly secureCloud?: boolean
  readonly gpuTypeId?: string
  readonly gpuCount?: number
  readonly cpuFlavorId?: string
  readonly cpuTypeId?: string
  readonly vcpuCount: number
  readonly memoryInGb: number
  readonly diskInGb: number
  readonly diskThroughputMBps?: number
  readonly uploadMbps?: number
  readonly downloadMbps?: number
  readonly cudaVersion?: string
  readonly supportPublicIp?: boolean
  readonly publicIp?: string
  readonly minPodGpuCount?: number
  readonly pricePerGpu?: number
  readonly note?: string
  /** Who runs the machine's containers: 'simulated' (default) or 'agent' (`podplane agent`). */
  readonly driver?: 'simulated' | 'agent'
}

export interface MachineUpdate {
  readonly pricePerGpu?: number | null
  readonly note?: string | null
  readonly maintenanceStart?: string | null
  readonly maintenanceEnd?: string | null
  readonly maintenanceNote?: string | null
  readonly minPodGpuCount?: number
}

export interface GpuTypeInput {
  readonly id: string
  readonly displayName: string
  readonly manufacturer?: string
  readonly memoryInGb: number
  readonly securePrice: number
  readonly communityPrice: number
  readonly secureSpotPrice?: number
  readonly communitySpotPrice?: number
  readonly oneWeekPrice?: number
  readonly oneMonthPrice?: number
  readonly threeMonthPrice?: number
  readonly sixMonthPrice?: number
  readonly maxGpuCount?: number
}

export type GpuTypePrices = Partial<
  Pick<
    GpuTypeInput,
    | 'securePrice'
    | 'communityPrice'
    | 'secureSpotPrice'
    | 'communitySpotPrice'
    | 'oneWeekPrice'
    | 'oneMonthPrice'
    | 'threeMonthPrice'
    | 'sixMonthPrice'
    | 'displayName'
  >
>

export interface DataCenterInput {
  readonly id: string
  readonly name?: string
  readonly location: string
  readonly countryCode: string
  readonly globalNetworking?: boolean
}

const cents = (x: number) => Math.round(x * 100) / 100

const parseTime = (field: string, value: string | null | undefined): number | null | undefined => {
  if (value === undefined || value === null) return value
  const ms = Date.parse(value)
  if (Number.isNaN(ms)) throw badRequest(`${field} must be an ISO 8601 date-time`)
  return ms
}

/** Operator work on the fleet: machines, data centers and GPU types. */
export class FleetService {
  constructor(
    private readonly o: {
      store: Store
      clock: Clock
      catalog: () => Catalog
      reloadCatalog: () => Promise<void>
      pods: PodService
    },
  ) {}

  listMachines(filter: MachineFilter = {}) {
    return this.o.store.machines.list(filter)
  }

  async getMachine(id: string) {
    const [machine] = await this.o.store.machines.list({ id })
    if (!machine) throw machineNotFound()
    return machine
  }

  async addMachine(input: MachineInput) {
    const catalog = this.o.catalog()
    if (!catalog.dataCenters.has(input.dataCenterId))
      throw badRequest(`dataCenterId: unknown value "${input.dataCenterId}"`)
    if ((input.gpuTypeId === undefined) === (input.cpuFlavorId === undefined)) {
      throw badRequest('give either gpuTypeId (a GPU machine) or cpuFlavorId (a CPU-only host)')
    }
    if (input.gpuTypeId !== undefined && !catalog.gpuTypes.has(input.gpuTypeId)) {
      throw badRequest(`gpuTypeId: unknown value "${input.gpuTypeId}"`)
    }
    if (input.cpuFlavorId !== undefined && !catalog.cpuFlavors.has(input.cpuFlavorId)) {
      throw badRequest(`cpuFlavorId: unknown value "${input.cpuFlavorId}"`)
    }
    const cpuTypeId = input.cpuTypeId ?? [...catalog.cpuTypes.keys()][0]!
    if (!catalog.cpuTypes.has(cpuTypeId)) throw badRequest(`cpuTypeId: unknown value "${cpuTypeId}"`)
    const gpuCount = input.gpuTypeId === undefined ? 0 : (input.gpuCount ?? 1)
    if (input.gpuTypeId !== undefined && gpuCount < 1)
      throw badRequest('gpuCount must be at least 1 for a GPU machine')
    const dc = catalog.dataCenters.get(input.dataCenterId)!
    const secure = input.secureCloud ?? true
    const row: MachineRow = {
      id: input.id ?? newMachineId(),
      data_center_id: dc.id,
      location: dc.location,
      country_code: dc.countryCode,
      secure_cloud: secure ? 1 : 0,
      gpu_type_id: input.gpuTypeId ?? null,
      gpu_count: gpuCount,
      gpu_used: 0,
      cpu_flavor_id: input.cpuFlavorId ?? null,
      cpu_type_id: cpuTypeId,
      vcpu_count: input.vcpuCount,
      vcpu_used: 0,
      memory_gb: input.memoryInGb,
      memory_used: 0,
      disk_gb: input.diskInGb,
      disk_used: 0,
      disk_throughput_mbps: input.diskThroughputMBps ?? 2000,
      upload_mbps: input.uploadMbps ?? 1000,
      download_mbps: input.downloadMbps ?? 1000,
      cuda_version: input.gpuTypeId === undefined ? null : (input.cudaVersion ?? null),
      // Secure Cloud machines always have a public IP.
      support_public_ip: secure || input.supportPublicIp ? 1 : 0,
      public_ip: input.publicIp ?? null,
      min_pod_gpu_count: input.minPodGpuCount ?? 1,
      maintenance_start: null,
      maintenance_end: null,
      maintenance_note: null,
      note: input.note ?? null,
      next_port: HOST_PORT_FIRST,
      host_ports_wrapped: 0,
      driver: input.driver ?? 'simulated',
      cordoned: 0,
      created_at: this.o.clock.now(),
      failed_at: null,
      failure_note: null,
      price_per_gpu: input.pricePerGpu ?? null,
      removed_at: null,
    }
    try {
      await this.o.store.machines.insertMany([row]).then((n) => {
        if (n === 0) throw badRequest(`a machine with id ${row.id} exists`)
      })
    } catch (error) {
      throw isUniqueViolation(error) ? badRequest(`a machine with id ${row.id} exists`) : error
    }
    return this.getMachine(row.id)
  }

  async updateMachine(id: string, update: MachineUpdate) {
    const current = await this.getMachine(id)
    const start = parseTime('maintenanceStart', update.maintenanceStart)
    const end = parseTime('maintenanceEnd', update.maintenanceEnd)
    const nextStart = start === undefined ? current.maintenance_start : start
    const nextEnd = end === undefined ? current.maintenance_end : end
    if (nextStart !== null && nextEnd !== null && nextEnd <= nextStart)
      throw badRequest('maintenanceEnd must be after maintenanceStart')
    if (nextStart === null && nextEnd !== null) throw badRequest('maintenanceEnd needs a maintenanceStart')
    await this.o.store.machines.update(id, {
      ...(update.pricePerGpu !== undefined && { price_per_gpu: update.pricePerGpu }),
      ...(update.note !== undefined && { note: update.note }),
      ...(start !== undefined && { maintenance_start: start }),
      ...(end !== undefined && { maintenance_end: end }),
      ...(update.maintenanceNote !== undefined && { maintenance_note: update.maintenanceNote }),
      ...(update.minPodGpuCount !== undefined && { min_pod_gpu_count: update.minPodGpuCount }),
    })
    // A window that is already open takes effect now, not at the next background pass.
    await this.enforceMaintenance()
    return this.getMachine(id)
  }

  async setCordoned(id: string, cordoned: boolean) {
    await this.getMachine(id)
    await this.o.store.machines.update(id, { cordoned: cordoned ? 1 : 0 })
    return this.getMachine(id)
  }

  /**
   * Cordons a machine and clears it: each running pod is stopped — or, with `move`, booted on
   * another machine with the same hardware (stopped if none has room) — with `reason` in its status.
   */
  async drain(id: string, options: { reason?: string; move?: boolean }) {
    await this.setCordoned(id, true)
    const event = `Drained by operator${options.reason ? ` (${options.reason})` : ''}`
    const stopped: string[] = []
    const moved: string[] = []
    for (const pod of await this.runningOn(id)) {
      const after = options.move
        ? await this.o.pods.moveForFleet(pod.id, event)
        : await this.o.pods.stopForFleet(pod.id, event)
      if (after && after.machineId !== id) moved.push(pod.id)
      else stopped.push(pod.id)
    }
    return { machine: await this.getMachine(id), stopped, moved }
  }

  /** Takes a machine down: its pods exit with `reason`, and it takes no pods until it recovers. */
  async fail(id: string, reason?: string) {
    await this.getMachine(id)
    const now = this.o.clock.now()
    await this.o.store.machines.update(id, { failed_at: now, failure_note: reason ?? null })
    const event = `Machine failure${reason ? ` (${reason})` : ''}`
    const stopped: string[] = []
    for (const pod of await this.runningOn(id)) {
      await this.o.pods.stopForFleet(pod.id, event)
      stopped.push(pod.id)
    }
    return { machine: await this.getMachine(id), stopped }
  }

  async recover(id: string) {
    await this.getMachine(id)
    await this.o.store.machines.update(id, { failed_at: null, failure_note: null })
    return this.getMachine(id)
  }

  async removeMachine(id: string) {
    const machine = await this.getMachine(id)
    if (!(await this.o.store.machines.removeIfEmpty(id, this.o.clock.now()))) {
      throw new ApiError(
        409,
        `machine ${id} still has ${machine.pod_count} pod(s) placed; drain it and delete them first`,
      )
    }
  }

  /**
   * Stops the pods that machines' maintenance windows should have stopped, even when time has
   * jumped past a whole window since the last pass. Returns the pods stopped.
   */
  async enforceMaintenance(): Promise<string[]> {
    const stopped: string[] = []
    for (const due of await this.o.store.machines.maintenanceDue(this.o.clock.now())) {
      if (await this.stopForMaintenance(due)) stopped.push(due.podId)
    }
    return stopped
  }

  /**
   * A pod running since before its machine's window opened stops as of the window's start: its
   * status text and its bill say so, however late this pass runs. One started while the window
   * was open (set after the fact, or restarted before a pass saw it) stops now.
   */
  private async stopForMaintenance(due: MaintenanceDue): Promise<boolean> {
    const pod = await this.o.store.pods.getAnyUser(due.podId)
    const now = this.o.clock.now()
    if (!pod || pod.machineId !== due.machineId || !holdsCompute(statusAt(pod, now))) return false
    const startedBefore = pod.lastStartedAt !== null && pod.lastStartedAt < due.start
    if (!startedBefore && due.end !== null && due.end <= now) return false
    const event = `Stopped for machine maintenance${due.note ? ` (${due.note})` : ''}`
    const after = await this.o.pods.stopForFleet(pod.id, event, startedBefore ? due.start : now)
    return after?.status === 'EXITED'
  }

  /** Pods holding compute on the machine (booting, running or failed), of every user. */
  private async runningOn(machineId: string): Promise<Pod[]> {
    return (await this.o.store.pods.onMachine(machineId)).filter((p) => holdsCompute(p.status))
  }

  async addGpuType(input: GpuTypeInput) {
    if (this.o.catalog().gpuTypes.has(input.id)) throw badRequest(`GPU type "${input.id}" exists`)
    await this.o.store.catalog.insertGpuType({
      id: input.id,
      display_name: input.displayName,
      manufacturer: input.manufacturer ?? 'Nvidia',
      memory_gb: input.memoryInGb,
      secure_price: input.securePrice,
      community_price: input.communityPrice,
      secure_spot_price: input.secureSpotPrice ?? cents(input.securePrice * PRICE_RATIOS.spot),
      community_spot_price: input.communitySpotPrice ?? cents(input.communityPrice * PRICE_RATIOS.spot),
      one_week_price: input.oneWeekPrice ?? cents(input.securePrice * PRICE_RATIOS.oneWeek),
      one_month_price: input.oneMonthPrice ?? cents(input.securePrice * PRICE_RATIOS.oneMonth),
      three_month_price: input.threeMonthPrice ?? cents(input.securePrice * PRICE_RATIOS.threeMonth),
      six_month_price: input.sixMonthPrice ?? cents(input.securePrice * PRICE_RATIOS.sixMonth),
      max_gpu_count: input.maxGpuCount ?? 8,
      sort_order: this.o.catalog().gpuTypes.size,
    })
    await this.o.reloadCatalog()
    return this.o.catalog().gpuTypes.get(input.id)!
  }

  /** Re-prices a GPU type for new rentals; running pods keep the price they were rented at. */
  async updateGpuType(id: string, prices: GpuTypePrices) {
    if (!this.o.catalog().gpuTypes.has(id)) throw notFound('GPU type')
    await this.o.store.catalog.updateGpuType(id, {
      ...(prices.displayName !== undefined && { display_name: prices.displayName }),
      ...(prices.securePrice !== undefined && { secure_price: prices.securePrice }),
      ...(prices.communityPrice !== undefined && { community_price: prices.communityPrice }),
      ...(prices.secureSpotPrice !== undefined && { secure_spot_price: prices.secureSpotPrice }),
      ...(prices.communitySpotPrice !== undefined && { community_spot_price: prices.communitySpotPrice }),
      ...(prices.oneWeekPrice !== undefined && { one_week_price: prices.oneWeekPrice }),
      ...(prices.oneMonthPrice !== undefined && { one_month_price: prices.oneMonthPrice }),
      ...(prices.threeMonthPrice !== undefined && { three_month_price: prices.threeMonthPrice }),
      ...(prices.sixMonthPrice !== undefined && { six_month_price: prices.sixMonthPrice }),
    })
    await this.o.reloadCatalog()
    return this.o.catalog().gpuTypes.get(id)!
  }

  async addDataCenter(input: DataCenterInput) {
    if (this.o.catalog().dataCenters.has(input.id)) throw badRequest(`data center "${input.id}" exists`)
    await this.o.store.catalog.insertDataCenter({
      id: input.id,
      name: input.name ?? input.id,
      location: input.location,
      country_code: input.countryCode.toUpperCase(),
      global_networking: input.globalNetworking ? 1 : 0,
      sort_order: this.o.catalog().dataCenters.size,
    })
    await this.o.reloadCatalog()
    return this.o.catalog().dataCenters.get(input.id)!
  }

  async updateDataCenter(id: string, changes: Partial<Omit<DataCenterInput, 'id'>>) {
    if (!this.o.catalog().dataCenters.has(id)) throw notFound('data center')
    await this.o.store.catalog.updateDataCenter(id, {
      ...(changes.name !== undefined && { name: changes.name }),
      ...(changes.location !== undefined && { location: changes.location }),
      ...(changes.countryCode !== undefined && { country_code: changes.countryCode.toUpperCase() }),
      ...(changes.globalNetworking !== undefined && { global_networking: changes.globalNetworking ? 1 : 0 }),
    })
    await this.o.reloadCatalog()
    return this.o.catalog().dataCenters.get(id)!
  }
}
