import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'
import { ControlPlane, type CredentialRejectedError } from './control-plane.js'
import { identify } from './identify.js'
import { collectInventory, detectGpus, type HostGpus } from './inventory.js'
import type { Logger } from './logger.js'
import { LogShipper } from './logs.js'
import type { DesiredState, InventoryGpu } from './protocol.js'
import { Reconciler } from './reconcile.js'
import { Runtime, type RuntimeInfo, runtimeMessage } from './runtime.js'
import { agentVersion } from './version.js'

/** How often the containers are compared with the last desired state, to notice exits. */
const RECONCILE_INTERVAL_MS = 2000
/** While the watch is up, the desired state is still read this often, in case an event was lost. */
const RESYNC_INTERVAL_MS = 60_000
const MAX_WATCH_BACKOFF_MS = 30_000
const UNKNOWN_RUNTIME: RuntimeInfo = { name: 'unknown', version: 'unreachable' }

export interface AgentOptions {
  server: string
  /** Join token for the first registration; later runs use the saved credential. */
  token?: string
  stateDir: string
  dockerHost: string
  /** Declared GPUs instead of nvidia-smi's. */
  gpus?: InventoryGpu
  publicIp?: string
  dataDir: string
  /** The data center's shared storage for network volumes; default `<dataDir>/network-volumes`. */
  networkVolumeDir?: string
  pollIntervalMs: number
  heartbeatIntervalMs: number
  logger: Logger
}

/**
 * Registers the machine (or reuses its saved credential) and keeps its containers matching the
 * control plane until `signal` aborts (resolves 0) or the server rejects the credential (resolves
 * 1). Containers keep running when the agent stops, as pods do when a kubelet stops.
 */
export async function runAgent(options: AgentOptions, signal: AbortSignal): Promise<number> {
  const { logger } = options
  const dataDir = resolve(options.dataDir)
  await mkdir(dataDir, { recursive: true })
  const runtime = await Runtime.connect(options.dockerHost)
  const gpus = await detectGpus(options.gpus, logger)
  const version = agentVersion()
  const inventoryNow = async () =>
    collectInventory({
      gpus,
      runtime: await describeRuntime(runtime, logger),
      dataDir,
      publicIp: options.publicIp,
      agentVersion: version,
    })
  let stale = false
  const firstInventory = async () => {
    const inventory = await inventoryNow()
    stale = inventory.runtime.name === UNKNOWN_RUNTIME.name
    return inventory
  }

  let rejected: CredentialRejectedError | undefined
  const stopping = new AbortController()
  signal.addEventListener('abort', () => stopping.abort(), { once: true })
  const onRejected = (error: CredentialRejectedError) => {
    rejected ??= error
    stopping.abort()
  }
  const identity = await identify({
    ...options,
    inventory: firstInventory,
    signal: stopping.signal,
    onRejected,
  })
  if (!identity) return rejected ? credentialRejected(options, rejected) : 0
  logger.info(`machine ${identity.machineId} on ${identity.server}: ${describeGpus(gpus)}`)

  const controlPlane = new ControlPlane(identity.server, identity.credential, onRejected)
  const agent = new AgentLoop(options, runtime, controlPlane, gpus, identity.machineId, dataDir, {
    stale,
    refresh: async () => controlPlane.putInventory(await inventoryNow()),
  })
  await agent.run(stopping.signal)
  return rejected ? credentialRejected(options, rejected) : 0
}

/** The loops of a registered agent: heartbeats, the watch with its poll fallback, reconciling. */
class AgentLoop {
  private readonly logs: LogShipper
  private readonly reconciler: Reconciler
  private desired: DesiredState | null = null
  private lastReadAt = 0
  private streaming = false
  private reading: Promise<void> | null = null
  private readAgain = false
  private reconciling: Promise<void> | null = null
  private runtimeError: string | null | undefined = undefined

  constructor(
    private readonly options: AgentOptions,
    private readonly runtime: Runtime,
    private readonly controlPlane: ControlPlane,
    gpus: HostGpus,
    machineId: string,
    dataDir: string,
    private readonly inventory: { stale: boolean; refresh: () => Promise<void> },
  ) {
    this.logs = new LogShipper((podId, batch) => controlPlane.shipLogs(podId, batch), options.logger)
    this.reconciler = new Reconciler({
      runtime,
      controlPlane,
      logs: this.logs,
      host: {
        machineId,
        dataDir,
        networkVolumeDir: options.networkVolumeDir && resolve(options.networkVolumeDir),
        nvidia: gpus.nvidia,
        gpuIndices: gpus.deviceIndices,
      },
      logger: options.logger,
    })
  }

  async run(signal: AbortSignal): Promise<void> {
    const loops = [
      repeat(this.options.heartbeatIntervalMs, () => this.heartbeat(), signal, this.options.logger),
      repeat(this.options.pollIntervalMs, async () => this.poll(), signal, this.options.logger),
      repeat(RECONCILE_INTERVAL_MS, async () => this.reconcileAgain(), signal, this.options.logger),
      this.watch(signal),
    ]
    this.read()
    await Promise.all(loops)
    this.options.logger.info('stopping: containers keep running')
    await this.reconciler.close()
    await this.logs.close()
  }

  private async heartbeat(): Promise<void> {
    const runtimeError = await this.runtime.ping().then(
      () => null,
      (error: unknown) => runtimeMessage(error).slice(0, 1000),
    )
    if (runtimeError !== this.runtimeError) {
      if (runtimeError) this.options.logger.error(`container runtime unavailable: ${runtimeError}`)
      else if (this.runtimeError !== undefined) this.options.logger.info('container runtime is back')
      this.runtimeError = runtimeError
    }
    if (!runtimeError && this.inventory.stale) {
      await this.inventory.refresh().then(
        () => (this.inventory.stale = false),
        (error: Error) => this.options.logger.warn(`updating the inventory failed: ${error.message}`),
      )
    }
    await this.controlPlane
      .heartbeat({ runtimeError })
      .catch((error: Error) => this.options.logger.warn(`heartbeat failed: ${error.message}`))
  }

  /** Follows the watch; while it is down, `poll` reads the desired state instead. */
  private async watch(signal: AbortSignal): Promise<void> {
    let lastEventId: string | null = null
    let failures = 0
    while (!signal.aborted) {
      try {
        await this.controlPlane.watch({
          lastEventId,
          signal,
          onOpen: () => {
            if (failures > 0) this.options.logger.info('watching the desired state again')
            this.streaming = true
            failures = 0
            this.read()
          },
          onEvent: (event) => {
            lastEventId = event.id ?? lastEventId
            if (event.id === null || event.id !== this.desired?.revision) this.read()
          },
        })
      } catch (error) {
        if (signal.aborted) break
        if (failures === 0)
          this.options.logger.warn(`watch failed, polling meanwhile: ${(error as Error).message}`)
      }
      this.streaming = false
      failures += 1
      await sleep(Math.min(MAX_WATCH_BACKOFF_MS, 500 * 2 ** (failures - 1)), undefined, { signal }).catch(
        () => {},
      )
    }
  }

  private poll(): void {
    if (!this.streaming || Date.now() - this.lastReadAt >= RESYNC_INTERVAL_MS) this.read()
  }

  /** GET /pods, then reconcile; a read asked for while one runs happens right after it. */
  private read(): void {
    if (this.reading) {
      this.readAgain = true
      return
    }
    this.reading = (async () => {
      do {
        this.readAgain = false
        try {
          this.desired = await this.controlPlane.desiredState()
          this.lastReadAt = Date.now()
          void this.reconciler.reconcile(this.desired)
        } catch (error) {
          this.options.logger.warn(`reading desired state failed: ${(error as Error).message}`)
        }
      } while (this.readAgain)
    })().finally(() => {
      this.reading = null
    })
  }

  /** Notices containers that exited on their own, without asking the control plane. */
  private reconcileAgain(): void {
    if (!this.desired || this.reconciling) return
    this.reconciling = this.reconciler.reconcile(this.desired).finally(() => {
      this.reconciling = null
    })
  }
}

/** Runs `work` now and then every `intervalMs` until `signal` aborts, never two at once. */
async function repeat(
  intervalMs: number,
  work: () => Promise<void>,
  signal: AbortSignal,
  logger: Logger,
): Promise<void> {
  while (!signal.aborted) {
    await work().catch((error: Error) => logger.error(error.message))
    await sleep(intervalMs, undefined, { signal }).catch(() => {})
  }
}

async function describeRuntime(runtime: Runtime, logger: Logger): Promise<RuntimeInfo> {
  try {
    return await runtime.describe()
  } catch (error) {
    logger.error(`container runtime unavailable: ${runtimeMessage(error)}`)
    return UNKNOWN_RUNTIME
  }
}

function describeGpus(gpus: HostGpus): string {
  if (!gpus.model) return 'no GPUs'
  return `${gpus.model.count}x ${gpus.model.name}${gpus.nvidia ? '' : ' (declared)'}`
}

function credentialRejected(options: AgentOptions, error: CredentialRejectedError): number {
  options.logger.error(
    `the server rejected this machine's credential (${error.message}): the machine was removed or its ` +
      `credential revoked. Delete ${options.stateDir}/credential.json and register again with --token.`,
  )
  return 1
}
