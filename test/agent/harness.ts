import { mkdtemp, rm } from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import { join } from 'node:path'
import { ControlPlane } from '../../src/agent/control-plane.js'
import { silentLogger } from '../../src/agent/logger.js'
import { LogShipper } from '../../src/agent/logs.js'
import { LABELS } from '../../src/agent/protocol.js'
import { Reconciler } from '../../src/agent/reconcile.js'
import { Runtime } from '../../src/agent/runtime.js'
import type { Podman } from '../helpers/podman.js'
import { FakeControlPlane } from './fake-control-plane.js'

/** A reconciler of one fresh machine, wired to a fake control plane and a private data dir. */
export interface Harness {
  controlPlane: FakeControlPlane
  runtime: Runtime
  reconciler: Reconciler
  shipper: LogShipper
  dataDir: string
  /** Reconciles the fake control plane's current desired state. */
  reconcile(): Promise<void>
  /** Another agent process of the same machine, as after a restart. */
  restartAgent(): Reconciler
  inspect(podId: string): Promise<import('dockerode').ContainerInspectInfo[]>
  close(): Promise<void>
}

export async function harness(
  podman: Podman,
  options: { gpuIndices?: number[]; dockerHost?: string } = {},
): Promise<Harness> {
  const controlPlane = await new FakeControlPlane().start()
  const client = new ControlPlane(controlPlane.url, controlPlane.credential)
  const runtime = await Runtime.connect(options.dockerHost ?? podman.dockerHost)
  const dataDir = await mkdtemp(join(os.tmpdir(), 'podplane-agent-data-'))
  const shipper = new LogShipper((podId, batch) => client.shipLogs(podId, batch), silentLogger, 100)
  const make = () =>
    new Reconciler({
      runtime,
      controlPlane: client,
      logs: shipper,
      host: {
        machineId: controlPlane.machineId,
        dataDir,
        nvidia: false,
        gpuIndices: options.gpuIndices ?? [],
      },
      logger: silentLogger,
    })
  const reconcilers = [make()]
  return {
    controlPlane,
    runtime,
    get reconciler() {
      return reconcilers[0] as Reconciler
    },
    shipper,
    dataDir,
    reconcile: () => (reconcilers[0] as Reconciler).reconcile(controlPlane.desired()),
    restartAgent() {
      const next = make()
      reconcilers.push(next)
      return next
    },
    async inspect(podId) {
      const containers = await runtime.list(controlPlane.machineId)
      return Promise.all(
        containers.filter((c) => c.podId === podId).map((c) => runtime.docker.getContainer(c.id).inspect()),
      )
    },
    async close() {
      await Promise.all(reconcilers.map((r) => r.close()))
      await shipper.close()
      await podman.removeContainers(`${LABELS.machine}=${controlPlane.machineId}`)
      await controlPlane.close()
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer()
  await new Promise<void>((resolve) => server.listen(0, resolve))
  const { port } = server.address() as net.AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}
