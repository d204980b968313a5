import { spawn } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { setTimeout as sleep } from 'node:timers/promises'
import { Command, Option } from 'commander'
import type { PodplaneClient, V1, V2 } from '../../client/index.js'
import { clientFor } from '../api.js'
import { confirm, forEachId, formats } from '../client-commands.js'
import { type OutputFormat, print, terminalTable, type View } from '../output.js'
import { duration, keyValue, list, nonNegativeInt, nonNegativeNumber, positiveInt } from '../parse.js'

/** `STARTING` while a pod that should run has no address yet: v1 only says what was asked for. */
export function liveStatus(pod: V1.Pod): string {
  if (pod.desiredStatus !== 'RUNNING') return pod.desiredStatus
  return pod.publicIp ? 'RUNNING' : 'STARTING'
}

function age(since: string | undefined, now = Date.now()): string {
  if (!since) return ''
  const s = Math.max(0, Math.floor((now - Date.parse(since)) / 1000))
  if (s < 120) return `${s}s`
  if (s < 7200) return `${Math.floor(s / 60)}m`
  if (s < 172_800) return `${Math.floor(s / 3600)}h`
  return `${Math.floor(s / 86_400)}d`
}

/** `8888/http 22/tcp→203.0.113.7:40022`: each port, with its public address once it has one. */
export function portsOf(pod: V1.Pod): string {
  return pod.ports
    .map((port) => {
      const [number, protocol] = port.split('/')
      const mapped = pod.portMappings?.[number ?? '']
      return protocol === 'tcp' && mapped !== undefined && pod.publicIp
        ? `${port}→${pod.publicIp}:${mapped}`
        : port
    })
    .join(' ')
}

const compute = (pod: V1.Pod) =>
  pod.gpu
    ? `${pod.gpu.count}× ${pod.gpu.displayName}`
    : `cpu ${pod.vcpuCount} vCPU${pod.cpuFlavorId ? ` ${pod.cpuFlavorId}` : ''}`

export const podView: View<V1.Pod> = {
  columns: (p) => ({
    id: p.id,
    name: p.name,
    status: liveStatus(p),
    compute: compute(p),
    $_hr: p.adjustedCostPerHr,
    age: age(p.lastStartedAt ?? p.lastStatusChange.match(/\d{4}-\d\d-\d\dT[\d:.]+Z/)?.[0]),
  }),
  wide: (p) => ({
    dc: p.machine?.dataCenterId ?? '',
    image: p.image,
    ports: portsOf(p),
    template: p.templateId ?? '',
    volume: p.networkVolume?.id ?? p.networkVolume?.name ?? '',
  }),
  name: (p) => p.id,
}

interface FilterOptions {
  gpu?: string[]
  dc?: string[]
  status?: 'RUNNING' | 'EXITED' | 'TERMINATED'
  name?: string
  image?: string
  template?: string
  volume?: string
  endpoint?: string
  cpuFlavor?: string[]
  compute?: 'GPU' | 'CPU'
  workers?: boolean
}

/** Every GET /pods filter as a flag. */
function withFilters(command: Command): Command {
  return command
    .option('--gpu <ids>', 'GPU type ids (repeatable or comma-separated)', list)
    .option('--dc <ids>', 'data center ids (repeatable or comma-separated)', list)
    .addOption(new Option('--status <status>', 'desired status').choices(['RUNNING', 'EXITED', 'TERMINATED']))
    .option('--name <name>', 'pod name')
    .option('--image <image>', 'image name')
    .option('--template <id>', 'template id')
    .option('--volume <id>', 'network volume id')
    .option('--endpoint <id>', 'serverless endpoint id (implies --workers)')
    .option('--cpu-flavor <ids>', 'CPU flavor ids (repeatable or comma-separated)', list)
    .addOption(new Option('--compute <type>', 'GPU or CPU pods').choices(['GPU', 'CPU']))
    .option('--workers', 'include serverless workers')
}

function queryOf(o: FilterOptions): V1.ListPodsQuery {
  const query: V1.ListPodsQuery = {
    gpuTypeId: o.gpu,
    dataCenterId: o.dc,
    desiredStatus: o.status,
    name: o.name,
    imageName: o.image,
    templateId: o.template,
    networkVolumeId: o.volume,
    endpointId: o.endpoint,
    cpuFlavorId: o.cpuFlavor,
    computeType: o.compute,
    includeMachine: true,
    includeNetworkVolume: true,
    includeWorkers: o.workers || o.endpoint !== undefined || undefined,
  }
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined)) as V1.ListPodsQuery
}

const hasFilter = (o: FilterOptions) =>
  [o.gpu, o.dc, o.status, o.name, o.image, o.template, o.volume, o.endpoint, o.cpuFlavor, o.compute].some(
    (v) => v !== undefined,
  )

interface CreateOptions {
  file?: string
  name?: string
  image?: string
  gpu?: string[]
  gpuCount?: number
  gpuPriority?: 'availability' | 'custom'
  cpuFlavor?: string[]
  cpuPriority?: 'availability' | 'custom'
  vcpus?: number
  compute?: 'GPU' | 'CPU'
  dc?: string[]
  dcPriority?: 'availability' | 'custom'
  cloud?: 'SECURE' | 'COMMUNITY' | 'ALL'
  country?: string[]
  cuda?: string[]
  disk?: number
  volumeSize?: number
  volumeMount?: string
  volumeEncrypted?: boolean
  networkVolume?: string
  ports?: string[]
  env?: Record<string, string>
  template?: string
  registryAuth?: string
  startCmd?: string[]
  entrypoint?: string[]
  interruptible?: boolean
  locked?: boolean
  publicIp?: boolean
  globalNetworking?: boolean
  minRamPerGpu?: number
  minVcpuPerGpu?: number
  minDiskBandwidth?: number
  minDownload?: number
  minUpload?: number
  wait?: boolean
  timeout: number
  output: OutputFormat
}

/** The create body: `-f` first, then each flag given on top of it. */
function createBody(o: CreateOptions): V1.PodCreateInput {
  const fromFile = o.file
    ? (JSON.parse(readFileSync(o.file === '-' ? 0 : o.file, 'utf8')) as V1.PodCreateInput)
    : {}
  const flags: V1.PodCreateInput = {
    name: o.name,
    imageName: o.image,
    gpuTypeIds: o.gpu,
    gpuCount: o.gpuCount,
    gpuTypePriority: o.gpuPriority,
    cpuFlavorIds: o.cpuFlavor,
    cpuFlavorPriority: o.cpuPriority,
    vcpuCount: o.vcpus,
    computeType: o.compute ?? (o.cpuFlavor ? 'CPU' : undefined),
    dataCenterIds: o.dc,
    dataCenterPriority: o.dcPriority,
    cloudType: o.cloud,
    countryCodes: o.country,
    allowedCudaVersions: o.cuda as V1.PodCreateInput['allowedCudaVersions'],
    containerDiskInGb: o.disk,
    volumeInGb: o.volumeSize,
    volumeMountPath: o.volumeMount,
    volumeEncrypted: o.volumeEncrypted,
    networkVolumeId: o.networkVolume,
    ports: o.ports,
    env: o.env,
    templateId: o.template,
    containerRegistryAuthId: o.registryAuth,
    dockerStartCmd: o.startCmd,
    dockerEntrypoint: o.entrypoint,
    interruptible: o.interruptible,
    locked: o.locked,
    supportPublicIp: o.publicIp,
    globalNetworking: o.globalNetworking,
    minRAMPerGPU: o.minRamPerGpu,
    minVCPUPerGPU: o.minVcpuPerGpu,
    minDiskBandwidthMBps: o.minDiskBandwidth,
    minDownloadMbps: o.minDownload,
    minUploadMbps: o.minUpload,
  }
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined))
  return { ...fromFile, ...given }
}

/** Follows a new pod through v2's statuses on stderr until it runs; the pod as v1 shows it then. */
async function waitUntilRunning(client: PodplaneClient, id: string, timeoutMs: number): Promise<V1.Pod> {
  const deadline = Date.now() + timeoutMs
  let last: V2.PodStatus | undefined
  const started = Date.now()
  for (;;) {
    const pod = await client.v2.pods.get(id)
    if (pod.status !== last) {
      process.stderr.write(`${id}: ${pod.status} (${((Date.now() - started) / 1000).toFixed(1)}s)\n`)
      last = pod.status
    }
    if (pod.status === 'RUNNING') return client.v1.pods.get(id, { includeMachine: true })
    if (pod.status === 'EXITED' || pod.status === 'TERMINATED' || pod.status === 'ERROR')
      throw new Error(`pod ${id} is ${pod.status} and will not run`)
    if (Date.now() >= deadline) throw new Error(`pod ${id} is still ${pod.status} after ${timeoutMs / 1000}s`)
    await sleep(500)
  }
}

const ACTIONS = {
  stop: { done: 'stopped', run: (c: PodplaneClient, id: string) => c.v1.pods.stop(id) },
  start: { done: 'started', run: (c: PodplaneClient, id: string) => c.v1.pods.start(id) },
  restart: { done: 'restarted', run: (c: PodplaneClient, id: string) => c.v1.pods.restart(id) },
  reset: { done: 'reset', run: (c: PodplaneClient, id: string) => c.v1.pods.reset(id) },
  rm: { done: 'deleted', run: (c: PodplaneClient, id: string) => c.v1.pods.delete(id) },
} as const

/** `pods stop|start|restart|reset|rm`: several ids, or every pod a filter selects after a yes. */
function actionCommand(action: keyof typeof ACTIONS, description: string): Command {
  return withFilters(
    new Command(action)
      .description(description)
      .argument('[ids...]', 'pod ids')
      .option('-y, --yes', 'do not ask before acting on a filter (or deleting)'),
  ).action(async function (this: Command, ids: string[], o: FilterOptions & { yes?: boolean }) {
    if (ids.length > 0 && hasFilter(o)) this.error('give pod ids or filter flags, not both', { exitCode: 2 })
    if (ids.length === 0 && !hasFilter(o))
      this.error('name the pods: give ids, or filter flags such as --status RUNNING', { exitCode: 2 })
    const client = clientFor(this)
    let targets = ids
    if (ids.length === 0) {
      const pods = await client.v1.pods.list(queryOf(o))
      if (pods.length === 0) {
        process.stdout.write('no pods match\n')
        return
      }
      targets = pods.map((p) => p.id)
      process.stderr.write(terminalTable(pods.map(podView.columns)))
    }
    const asking = ids.length === 0 || action === 'rm'
    if (asking && !o.yes && !(await confirm(`${action} ${targets.length} pod(s)?`))) {
      process.stderr.write('nothing done\n')
      return
    }
    await forEachId(targets, (id) => ACTIONS[action].run(client, id), ACTIONS[action].done)
  })
}

export function podsCommand(): Command {
  const pods = new Command('pods').description('list, create and control pods').addHelpText(
    'after',
    `
Examples:
  $ podplane pods ls --gpu "NVIDIA GeForce RTX 4090" --status RUNNING -o wide
  $ podplane pods create --image runpod/base:0.6.2 --gpu "NVIDIA A40" --ports 22/tcp,8888/http --wait
  $ podplane pods stop --status RUNNING --dc EU-RO-1 --yes
  $ podplane pods logs <id> -f`,
  )

  withFilters(pods.command('ls').alias('list').description('list pods, filtered by any flag'))
    .addOption(formats())
    .action(async function (this: Command, o: FilterOptions & { output: OutputFormat }) {
      print(o.output, await clientFor(this).v1.pods.list(queryOf(o)), podView)
    })

  pods
    .command('get <id>')
    .description('show one pod')
    .addOption(formats())
    .action(async function (this: Command, id: string, o: { output: OutputFormat }) {
      const pod = await clientFor(this).v1.pods.get(id, {
        includeMachine: true,
        includeNetworkVolume: true,
        includeTemplate: true,
        includeWorkers: true,
      })
      print(o.output, pod, podView)
    })

  pods
    .command('create')
    .description('create a pod from flags, a JSON file, or both (flags win)')
    .option('-f, --file <path>', 'a PodCreateInput JSON file (- for stdin)')
    .option('--name <name>', 'pod name')
    .option('--image <image>', 'container image')
    .option('--gpu <ids>', 'GPU type ids, in order of preference (repeatable or comma-separated)', list)
    .option('--gpu-count <n>', 'GPUs per pod', positiveInt)
    .addOption(new Option('--gpu-priority <how>', 'how to rank --gpu').choices(['availability', 'custom']))
    .option('--cpu-flavor <ids>', 'CPU flavor ids; makes a CPU pod', list)
    .addOption(
      new Option('--cpu-priority <how>', 'how to rank --cpu-flavor').choices(['availability', 'custom']),
    )
    .option('--vcpus <n>', 'vCPUs of a CPU pod', positiveInt)
    .addOption(new Option('--compute <type>', 'GPU or CPU').choices(['GPU', 'CPU']))
    .option('--dc <ids>', 'allowed data centers (repeatable or comma-separated)', list)
    .addOption(new Option('--dc-priority <how>', 'how to rank --dc').choices(['availability', 'custom']))
    .addOption(new Option('--cloud <type>', 'cloud type').choices(['SECURE', 'COMMUNITY', 'ALL']))
    .option('--country <codes>', 'allowed country codes', list)
    .option('--cuda <versions>', 'allowed CUDA versions', list)
    .option('--disk <gb>', 'container disk in GB', positiveInt)
    .option('--volume-size <gb>', 'pod volume in GB', nonNegativeInt)
    .option('--volume-mount <path>', 'where the volume is mounted')
    .option('--volume-encrypted', 'encrypt the pod volume')
    .option('--network-volume <id>', 'attach a network volume (places the pod in its data center)')
    .option('--ports <ports>', 'ports like 22/tcp,8888/http', list)
    .option('--env <KEY=VALUE>', 'environment variable (repeatable)', keyValue)
    .option('--template <id>', 'template to start from')
    .option('--registry-auth <id>', 'container registry auth for a private image')
    .option('--start-cmd <words>', 'docker start command words (comma-separated)', list)
    .option('--entrypoint <words>', 'docker entrypoint words (comma-separated)', list)
    .option('--interruptible', 'spot pod: cheaper, may be stopped for on-demand rentals')
    .option('--locked', 'lock the pod against stop and reset')
    .option('--public-ip', 'require a machine with a public IP')
    .option('--global-networking', 'join the global network')
    .option('--min-ram-per-gpu <gb>', 'minimum RAM per GPU', nonNegativeInt)
    .option('--min-vcpu-per-gpu <n>', 'minimum vCPUs per GPU', nonNegativeInt)
    .option('--min-disk-bandwidth <MBps>', 'minimum disk bandwidth', nonNegativeNumber)
    .option('--min-download <Mbps>', 'minimum download speed', nonNegativeNumber)
    .option('--min-upload <Mbps>', 'minimum upload speed', nonNegativeNumber)
    .option('--wait', 'show progress until the pod runs, then its ports')
    .option('--timeout <duration>', 'how long --wait waits', duration, 600_000)
    .addOption(formats())
    .action(async function (this: Command, o: CreateOptions) {
      const client = clientFor(this)
      const pod = await client.v1.pods.create(createBody(o))
      if (!o.wait) return print(o.output, pod, podView)
      print(o.output, await waitUntilRunning(client, pod.id, o.timeout), podView)
    })

  pods.addCommand(actionCommand('stop', 'stop pods (their volumes stay; GPUs are released)'))
  pods.addCommand(actionCommand('start', 'start stopped pods'))
  pods.addCommand(actionCommand('restart', 'restart running pods'))
  pods.addCommand(actionCommand('reset', 'reset pods to a fresh container'))
  pods.addCommand(actionCommand('rm', 'delete pods (asks first unless --yes)'))

  withFilters(
    pods.command('watch').description('a live table of pods; changed rows as lines when not on a terminal'),
  )
    .option('--interval <duration>', 'time between refreshes', duration, 2000)
    .action(async function (this: Command, o: FilterOptions & { interval: number }) {
      const client = clientFor(this)
      const seen = new Map<string, string>()
      for (;;) {
        const list = await client.v1.pods.list(queryOf(o))
        if (process.stdout.isTTY) {
          process.stdout.write(`\u001b[H\u001b[2J${terminalTable(list.map(podView.columns))}`)
        } else {
          const rows = list.map(podView.columns).filter((row) => {
            const line = JSON.stringify(row)
            if (seen.get(String(row.id)) === line) return false
            seen.set(String(row.id), line)
            return true
          })
          if (rows.length > 0) process.stdout.write(terminalTable(rows))
        }
        await sleep(o.interval)
      }
    })

  pods
    .command('logs <id>')
    .description("print a pod's logs; -f keeps following")
    .option('-f, --follow', 'keep the stream open for new lines')
    .option('--tail <n>', 'lines from the end to start with', nonNegativeInt, 100)
    .option('--since <iso>', 'only lines at or after this time')
    .addOption(new Option('--source <source>', 'only one source').choices(['container', 'system']))
    .option('-t, --timestamps', 'prefix each line with its time')
    .action(async function (
      this: Command,
      id: string,
      o: {
        follow?: boolean
        tail: number
        since?: string
        source?: 'container' | 'system'
        timestamps?: boolean
      },
    ) {
      const events = clientFor(this).v2.pods.logs(id, {
        follow: o.follow === true,
        tail: o.tail,
        since: o.since,
        source: o.source,
      })
      for await (const event of events)
        process.stdout.write(`${o.timestamps ? `${event.ts} ` : ''}${event.line}\n`)
    })

  pods
    .command('ssh <id>')
    .description('open an SSH session to a running pod (or print the command with --print)')
    .option('--print', 'print the ssh command instead of running it')
    .action(async function (this: Command, id: string, o: { print?: boolean }) {
      const pod = await clientFor(this).v2.pods.get(id)
      if (pod.status !== 'RUNNING') throw new Error(`pod ${id} is ${pod.status}; ssh needs it RUNNING`)
      const ssh = pod.ssh.direct ?? pod.ssh.proxy
      if (!ssh) throw new Error(`pod ${id} exposes no SSH: create it with 22/tcp in --ports`)
      if (o.print || !process.stdout.isTTY) {
        process.stdout.write(`${ssh.command}\n`)
        return
      }
      const args = ['-p', String(ssh.port), `${ssh.username}@${ssh.host}`]
      const child = spawn('ssh', args, { stdio: 'inherit' })
      process.exitCode = await new Promise<number>((resolve) =>
        child.on('exit', (code) => resolve(code ?? 1)),
      )
    })

  return pods
}
