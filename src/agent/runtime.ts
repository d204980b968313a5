import type Docker from 'dockerode'
import { LABELS } from './protocol.js'

/** What the agent needs to know of one of its containers, read from the runtime's list. */
export interface PodContainer {
  id: string
  name: string
  podId: string
  bootId: string
  /** Host GPU indices the container was given (`LABELS.gpus`). */
  gpuIndices: number[]
  /** Docker's states folded into the three the agent acts on. */
  state: 'created' | 'running' | 'exited'
}

export interface RegistryAuth {
  username: string
  password: string
  serveraddress: string
}

/** The container runtime's name and version, as the inventory reports it. */
export interface RuntimeInfo {
  name: string
  version: string
}

/**
 * A Docker Engine API (Docker or Podman's compatible service) narrowed to what the agent does.
 * Errors are the runtime's own; {@link runtimeMessage} reads them.
 */
export class Runtime {
  constructor(readonly docker: Docker) {}

  /** `unix:///run/docker.sock`, `/run/docker.sock`, `tcp://host:2375` or `http(s)://host:port`. */
  static async connect(dockerHost: string): Promise<Runtime> {
    const options = dockerOptions(dockerHost)
    // Imported here, not at the top: the bundled CLI would otherwise load dockerode (about a
    // second) for every command, and only the agent needs it.
    const { default: Docker } = await import('dockerode')
    return new Runtime(new Docker(options))
  }

  /** Rejects when the runtime does not answer within `timeoutMs`: a hung daemon is down too. */
  async ping(timeoutMs = 5000): Promise<void> {
    let timer: NodeJS.Timeout | undefined
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)
    })
    try {
      await Promise.race([this.docker.ping(), timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  async describe(): Promise<RuntimeInfo> {
    const version = await this.docker.version()
    const podman = version.Components?.find((c) => c.Name === 'Podman Engine')
    return podman ? { name: 'podman', version: podman.Version } : { name: 'docker', version: version.Version }
  }

  /** Every container, running or not, labelled as this machine's. */
  async list(machineId: string): Promise<PodContainer[]> {
    const containers = await this.docker.listContainers({
      all: true,
      filters: { label: [`${LABELS.machine}=${machineId}`] },
    })
    return containers.flatMap((c) => {
      const labels = c.Labels ?? {}
      const podId = labels[LABELS.pod]
      const bootId = labels[LABELS.boot]
      if (!podId || !bootId) return []
      return [
        {
          id: c.Id,
          name: (c.Names?.[0] ?? c.Id).replace(/^\//, ''),
          podId,
          bootId,
          gpuIndices: parseIndices(labels[LABELS.gpus]),
          state: foldState(c.State),
        },
      ]
    })
  }

  async exitCode(containerId: string): Promise<number> {
    const info = await this.docker.getContainer(containerId).inspect()
    return info.State.ExitCode
  }

  async hasImage(image: string): Promise<boolean> {
    try {
      await this.docker.getImage(image).inspect()
      return true
    } catch (error) {
      if (statusOf(error) === 404) return false
      throw error
    }
  }

  /** Resolves once the pull finished; a failure reported inside the progress stream rejects. */
  async pull(image: string, auth?: RegistryAuth): Promise<void> {
    const stream = await this.docker.pull(image, auth ? { authconfig: auth } : {})
    await new Promise<void>((resolve, reject) => {
      this.docker.modem.followProgress(
        stream,
        (error: Error | null, events: { error?: string; errorDetail?: { message?: string } }[]) => {
          const failed = events?.find((e) => e.error || e.errorDetail)
          if (error) reject(error)
          else if (failed) reject(new Error(failed.errorDetail?.message ?? failed.error))
          else resolve()
        },
      )
    })
  }

  async create(options: Docker.ContainerCreateOptions): Promise<string> {
    const container = await this.docker.createContainer(options)
    return container.id
  }

  async start(containerId: string): Promise<void> {
    await ignoring(304, this.docker.getContainer(containerId).start())
  }

  async stop(containerId: string, timeoutSeconds: number): Promise<void> {
    await ignoring(304, this.docker.getContainer(containerId).stop({ t: timeoutSeconds }))
  }

  async remove(containerId: string): Promise<void> {
    await ignoring(404, this.docker.getContainer(containerId).remove({ force: true, v: true }))
  }

  /** The container's output, following it; TTY containers are not multiplexed. */
  async logs(
    containerId: string,
    sinceSeconds: number,
  ): Promise<{ stream: NodeJS.ReadableStream; tty: boolean }> {
    const container = this.docker.getContainer(containerId)
    const info = await container.inspect()
    const stream = await container.logs({
      follow: true,
      stdout: true,
      stderr: true,
      timestamps: true,
      since: sinceSeconds,
    })
    return { stream, tty: info.Config.Tty }
  }
}

export function dockerOptions(dockerHost: string): Docker.DockerOptions {
  if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) }
  if (dockerHost.startsWith('/')) return { socketPath: dockerHost }
  const match = /^(tcp|http|https):\/\/([^/:]+|\[[^\]]+\]):(\d+)\/?$/.exec(dockerHost)
  if (!match)
    throw new Error(
      `unsupported docker host ${dockerHost}: expected unix:///path, /path, tcp://host:port or http(s)://host:port`,
    )
  const [, scheme, host, port] = match
  return { host, port: Number(port), protocol: scheme === 'https' ? 'https' : 'http' }
}

/** The runtime's own words for a failure, without dockerode's `(HTTP code 500) server error -` prefix. */
export function runtimeMessage(error: unknown): string {
  const json = (error as { json?: unknown } | null)?.json
  if (json && typeof json === 'object' && 'message' in json && typeof json.message === 'string')
    return json.message.trim()
  if (typeof json === 'string' && json.trim()) return json.trim()
  return error instanceof Error ? error.message : String(error)
}

const CONNECTION_CODES = new Set([
  'ENOENT',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
])

/** True when the runtime itself could not be reached, as opposed to refusing one request. */
export function isConnectionError(error: unknown): boolean {
  return CONNECTION_CODES.has((error as { code?: string } | null)?.code ?? '')
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | null)?.statusCode
}

async function ignoring(status: number, request: Promise<unknown>): Promise<void> {
  try {
    await request
  } catch (error) {
    if (statusOf(error) !== status) throw error
  }
}

function foldState(state: string): PodContainer['state'] {
  if (state === 'running' || state === 'paused' || state === 'restarting') return 'running'
  if (state === 'created' || state === 'configured') return 'created'
  return 'exited'
}

function parseIndices(label: string | undefined): number[] {
  return (label ?? '')
    .split(',')
    .filter((s) => /^\d+$/.test(s))
    .map(Number)
}
