import { Command, Option } from 'commander'
import type { V1 } from '../../client/index.js'
import { clientFor } from '../api.js'
import { bodyOf, formats, removeCommand } from '../client-commands.js'
import { type OutputFormat, print, type View } from '../output.js'
import { duration, list, nonNegativeInt, positiveInt } from '../parse.js'

const compute = (e: V1.Endpoint) =>
  e.computeType === 'CPU' ? 'cpu' : `${e.gpuCount}× ${e.gpuTypeIds.join(', ') || 'any GPU'}`

/** `EU-RO-1,US-TX-3 +24`: the first few, then how many more. */
const listed = (ids: readonly string[], shown = 3) =>
  ids.length <= shown ? ids.join(',') : `${ids.slice(0, shown).join(',')} +${ids.length - shown}`

export const endpointView: View<V1.Endpoint> = {
  columns: (e) => ({
    id: e.id,
    name: e.name,
    template: e.templateId,
    compute: compute(e),
    workers: `${e.workersMin}..${e.workersMax}`,
    // Only with includeWorkers (`ls --workers`, `get`): how many workers exist right now.
    ...(e.workers ? { live: e.workers.length } : {}),
    version: e.version,
  }),
  wide: (e) => ({
    scaler: `${e.scalerType}=${e.scalerValue}`,
    idle_s: e.idleTimeout,
    timeout_s: e.executionTimeoutMs / 1000,
    dcs: listed(e.dataCenterIds),
    cuda: e.minCudaVersion ? `>=${e.minCudaVersion}` : e.allowedCudaVersions.join(','),
    volumes: e.networkVolumeIds.join(',') || (e.networkVolumeId ?? ''),
    created: e.createdAt,
  }),
  name: (e) => e.id,
}

interface FieldOptions {
  file?: string
  name?: string
  template?: string
  gpu?: string[]
  gpuCount?: number
  cpuFlavor?: string[]
  vcpus?: number
  dc?: string[]
  cuda?: string[]
  minCuda?: string
  workersMin?: number
  workersMax?: number
  idleTimeout?: number
  executionTimeout?: number
  scaler?: 'QUEUE_DELAY' | 'REQUEST_COUNT'
  scalerValue?: number
  flashboot?: boolean
  networkVolume?: string
  networkVolumes?: string[]
  output: OutputFormat
}

/** Every field endpoint create and update share, one flag each. */
const withFields = (command: Command) =>
  command
    .option('-f, --file <path>', 'a JSON body (- for stdin); flags given win over it')
    .option('--name <name>', 'endpoint name')
    .option('--template <id>', 'serverless template the workers run')
    .option('--gpu <ids>', 'GPU type ids, in order of preference (repeatable or comma-separated)', list)
    .option('--gpu-count <n>', 'GPUs per worker', positiveInt)
    .option('--cpu-flavor <ids>', 'CPU flavor ids for CPU workers', list)
    .option('--vcpus <n>', 'vCPUs per CPU worker', positiveInt)
    .option('--dc <ids>', 'allowed data centers (repeatable or comma-separated)', list)
    .option('--cuda <versions>', 'allowed CUDA versions', list)
    .option('--min-cuda <version>', 'lowest CUDA version, like 12.4')
    .option('--workers-min <n>', 'workers kept alive', nonNegativeInt)
    .option('--workers-max <n>', 'most workers at once', nonNegativeInt)
    .option('--idle-timeout <seconds>', 'seconds an idle worker lingers', positiveInt)
    .option('--execution-timeout <duration>', 'longest a job may run, like 10m', duration)
    .addOption(new Option('--scaler <type>', 'what scales workers').choices(['QUEUE_DELAY', 'REQUEST_COUNT']))
    .option('--scaler-value <n>', 'the scaler threshold', positiveInt)
    .option('--flashboot', 'keep workers warm for fast cold starts')
    .option('--no-flashboot', 'turn flashboot off')
    .option('--network-volume <id>', 'attach one network volume')
    .option('--network-volumes <ids>', 'attach several network volumes (one per data center)', list)

const fieldsOf = (o: FieldOptions) => ({
  name: o.name,
  templateId: o.template,
  gpuTypeIds: o.gpu,
  gpuCount: o.gpuCount,
  cpuFlavorIds: o.cpuFlavor,
  vcpuCount: o.vcpus,
  dataCenterIds: o.dc,
  allowedCudaVersions: o.cuda,
  minCudaVersion: o.minCuda,
  workersMin: o.workersMin,
  workersMax: o.workersMax,
  idleTimeout: o.idleTimeout,
  executionTimeoutMs: o.executionTimeout,
  scalerType: o.scaler,
  scalerValue: o.scalerValue,
  flashboot: o.flashboot,
  networkVolumeId: o.networkVolume,
  networkVolumeIds: o.networkVolumes,
})

export function endpointsCommand(): Command {
  const endpoints = new Command('endpoints')
    .alias('endpoint')
    .description('list, create and scale serverless endpoints (v1)')
    .addHelpText(
      'after',
      `
Examples:
  $ podplane endpoints ls --workers
  $ podplane endpoints create --name llm --template <serverless template id> --gpu "NVIDIA A40" --workers-min 1 --workers-max 3
  $ podplane endpoints update <id> --workers-max 5 --idle-timeout 30
  $ podplane endpoints rm <id> --yes`,
    )

  endpoints
    .command('ls')
    .alias('list')
    .description('list your endpoints')
    .option('--workers', 'fetch workers and show how many are live')
    .option('--template-details', 'include each template (for -o json|yaml)')
    .addOption(formats())
    .action(async function (
      this: Command,
      o: { workers?: boolean; templateDetails?: boolean; output: OutputFormat },
    ) {
      const query: V1.EndpointIncludes = {}
      if (o.workers) query.includeWorkers = true
      if (o.templateDetails) query.includeTemplate = true
      print(o.output, await clientFor(this).v1.endpoints.list(query), endpointView)
    })

  endpoints
    .command('get <id>')
    .description('show one endpoint, with its workers and template')
    .addOption(formats())
    .action(async function (this: Command, id: string, o: { output: OutputFormat }) {
      const endpoint = await clientFor(this).v1.endpoints.get(id, {
        includeTemplate: true,
        includeWorkers: true,
      })
      print(o.output, endpoint, endpointView)
    })

  withFields(
    endpoints
      .command('create')
      .description('create an endpoint from flags, a JSON file, or both (flags win)'),
  )
    .addOption(new Option('--compute <type>', 'GPU or CPU workers').choices(['GPU', 'CPU']))
    .addOption(formats())
    .addHelpText(
      'after',
      `
Examples:
  $ podplane endpoints create --name llm --template <id> --gpu "NVIDIA A40" --workers-max 3
  $ podplane endpoints create --name cpu-jobs --template <id> --compute CPU --cpu-flavor cpu3c --vcpus 4
  $ podplane endpoints create -f endpoint.json --workers-min 0`,
    )
    .action(async function (this: Command, o: FieldOptions & { compute?: 'GPU' | 'CPU' }) {
      const body = bodyOf<V1.EndpointCreateInput>(o.file, {
        ...fieldsOf(o),
        computeType: o.compute ?? (o.cpuFlavor ? 'CPU' : undefined),
      })
      if (!body.templateId)
        this.error('error: an endpoint needs --template (or templateId in -f)', { exitCode: 2 })
      print(o.output, await clientFor(this).v1.endpoints.create(body), endpointView)
    })

  withFields(
    endpoints
      .command('update <id>')
      .description('change an endpoint; changes to what workers run roll out a new release'),
  )
    .addOption(formats())
    .addHelpText(
      'after',
      `
Examples:
  $ podplane endpoints update <id> --workers-min 0 --workers-max 10
  $ podplane endpoints update <id> --gpu "NVIDIA L40S,NVIDIA A40" --no-flashboot`,
    )
    .action(async function (this: Command, id: string, o: FieldOptions) {
      const body = bodyOf<V1.EndpointUpdateInput>(o.file, fieldsOf(o))
      if (Object.keys(body).length === 0)
        this.error('error: nothing to change: give a flag or -f', { exitCode: 2 })
      print(o.output, await clientFor(this).v1.endpoints.update(id, body), endpointView)
    })

  endpoints.addCommand(removeCommand('endpoints', 'endpoint', (client, id) => client.v1.endpoints.delete(id)))
  return endpoints
}
