import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import http from 'node:http'
import os from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll } from 'vitest'

const run = promisify(execFile)

/** Imported from a busybox rootfs: there is no registry to pull from in tests. */
export const TEST_IMAGE = 'localhost/podplane-test-busybox:latest'

const BUSYBOX = '/bin/busybox'
const APPLETS = [
  'sh',
  'httpd',
  'echo',
  'sleep',
  'cat',
  'ls',
  'env',
  'nc',
  'true',
  'false',
  'printf',
  'date',
  'mkdir',
  'touch',
  'test',
  'wc',
  'seq',
  'yes',
  'head',
  'ps',
  'kill',
  'id',
  'hostname',
  'rm',
]

// Podman as root inside a container-less CI host: runc, no systemd (cgroupfs, file events).
const CONTAINERS_CONF = `[containers]
default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
[engine]
runtime = "runc"
cgroup_manager = "cgroupfs"
events_logger = "file"
`

/** A private Podman Docker-compatible service for one test file. */
export interface Podman {
  /** `unix://…/podman.sock`, for `--docker-host` or `Runtime.connect`. */
  dockerHost: string
  socketPath: string
  /** Runs the podman CLI with this service's configuration; resolves its stdout. */
  podman(args: string[]): Promise<string>
  /** Force-removes every container carrying this label (`key=value`). */
  removeContainers(label: string): Promise<void>
  stop(): Promise<void>
}

/**
 * Starts `podman system service` on a socket of its own and makes sure {@link TEST_IMAGE} exists.
 * Fails (never skips) without podman, runc or a static busybox: CI installs them.
 */
export async function startPodman(): Promise<Podman> {
  await requireTools()
  const dir = await mkdtemp(join(os.tmpdir(), 'podplane-podman-'))
  const confPath = join(dir, 'containers.conf')
  await writeFile(confPath, CONTAINERS_CONF)
  const env = { ...process.env, CONTAINERS_CONF: confPath }
  const podman = async (args: string[]) => (await run('podman', args, { env, maxBuffer: 16 << 20 })).stdout

  await ensureImage(podman, dir)
  const socketPath = join(dir, 'podman.sock')
  const service = spawn('podman', ['system', 'service', '--time=0', `unix://${socketPath}`], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  let stderr = ''
  service.stderr?.on('data', (chunk) => (stderr += chunk))
  await waitForPing(socketPath, service, () => stderr)

  return {
    dockerHost: `unix://${socketPath}`,
    socketPath,
    podman,
    async removeContainers(label) {
      const ids = (await podman(['ps', '-aq', '--filter', `label=${label}`])).split('\n').filter(Boolean)
      if (ids.length > 0) await podman(['rm', '-f', '-t', '0', ...ids])
    },
    async stop() {
      if (service.exitCode === null) {
        const exited = new Promise((resolve) => service.once('exit', resolve))
        service.kill('SIGTERM')
        await exited
      }
      await rm(dir, { recursive: true, force: true })
    },
  }
}

async function requireTools(): Promise<void> {
  const missing: string[] = []
  for (const tool of ['podman', 'runc']) {
    try {
      await run(tool, ['--version'])
    } catch {
      missing.push(tool)
    }
  }
  if (!existsSync(BUSYBOX)) missing.push('busybox-static')
  if (missing.length > 0)
    throw new Error(
      `the agent tests run real containers and need ${missing.join(', ')}: apt-get install podman runc busybox-static`,
    )
}

/** `podman import` of a rootfs holding a static busybox and its applets; kept once built. */
async function ensureImage(podman: (args: string[]) => Promise<string>, dir: string): Promise<void> {
  const exists = () =>
    podman(['image', 'exists', TEST_IMAGE]).then(
      () => true,
      () => false,
    )
  if (await exists()) return
  const rootfs = join(dir, 'rootfs')
  for (const sub of ['bin', 'etc', 'tmp', 'www', 'workspace'])
    await mkdir(join(rootfs, sub), { recursive: true })
  await copyFile(BUSYBOX, join(rootfs, 'bin', 'busybox'))
  for (const applet of APPLETS) await symlink('busybox', join(rootfs, 'bin', applet))
  await writeFile(join(rootfs, 'etc', 'passwd'), 'root:x:0:0:root:/root:/bin/sh\n')
  await writeFile(join(rootfs, 'etc', 'group'), 'root:x:0:\n')
  await writeFile(join(rootfs, 'www', 'index.html'), 'hello from podplane\n')
  const tar = join(dir, 'rootfs.tar')
  await run('tar', ['-C', rootfs, '-cf', tar, '.'])
  try {
    await podman(['import', '--change', 'ENV=PATH=/bin', '--change', 'CMD=["/bin/sh"]', tar, TEST_IMAGE])
  } catch (error) {
    // Another test file may have imported it at the same moment.
    if (!(await exists())) throw error
  }
  await rm(rootfs, { recursive: true, force: true })
  await rm(tar, { force: true })
}

async function waitForPing(socketPath: string, service: ChildProcess, stderr: () => string): Promise<void> {
  const deadline = Date.now() + 30_000
  while (Date.now() < deadline) {
    if (service.exitCode !== null)
      throw new Error(`podman system service exited with ${service.exitCode}: ${stderr()}`)
    if (await ping(socketPath)) return
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  service.kill('SIGKILL')
  throw new Error(`podman system service did not answer on ${socketPath} within 30 s: ${stderr()}`)
}

function ping(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const request = http.get({ socketPath, path: '/_ping' }, (response) => {
      response.resume()
      resolve(response.statusCode === 200)
    })
    request.on('error', () => resolve(false))
  })
}

/**
 * Podman's service for the tests of one file: started before them, stopped after them. The object
 * it returns stands for the service once started (use it inside tests and hooks).
 */
export function usePodman(): Podman {
  let started: Podman | undefined
  beforeAll(async () => {
    started = await startPodman()
  })
  afterAll(async () => {
    await started?.stop()
  })
  const service = () => {
    if (!started) throw new Error('Podman is not started yet: use it inside tests and hooks')
    return started
  }
  return {
    get dockerHost() {
      return service().dockerHost
    },
    get socketPath() {
      return service().socketPath
    },
    podman: (args) => service().podman(args),
    removeContainers: (label) => service().removeContainers(label),
    stop: () => service().stop(),
  }
}
