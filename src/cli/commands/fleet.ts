import { Command, InvalidArgumentError } from 'commander'
import { adminMachineView, dataCenterView, gpuTypeView } from '../../api/admin/views.js'
import type { AppContext } from '../../api/context.js'
import { seedFleet } from '../../fleet/seed.js'
import { type OutputFormat, outputOption, print } from '../output.js'
import { withContext, withStore } from '../store.js'
import { joinTokenCommand } from './join-tokens.js'

function nonNegativeInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer')
  return n
}

function nonNegativeNumber(value: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a non-negative number')
  return n
}

type MachineView = ReturnType<typeof adminMachineView>

interface AddOptions {
  dc: string
  gpu?: string
  count: number
  cpuFlavor?: string
  vcpus: number
  memory: number
  disk: number
  community?: boolean
  cuda?: string
  publicIp?: string
  price?: number
  note?: string
  output: OutputFormat
}

interface SetOptions {
  price?: number
  note?: string
  maintenanceStart?: string
  maintenanceEnd?: string
  maintenanceNote?: string
  output: OutputFormat
}

const machineColumns = (m: MachineView) => ({
  id: m.id,
  state: m.state,
  driver: m.agent ? `agent@${m.agent.hostname}` : m.driver,
  dc: m.dataCenterId,
  cloud: m.secureCloud ? 'secure' : 'community',
  gpu: m.gpuTypeId ?? `cpu:${m.cpuFlavorId}`,
  gpus: m.gpuTypeId ? `${m.gpuUsed}/${m.gpuCount}` : '-',
  vcpus: `${m.vcpuUsed}/${m.vcpuCount}`,
  memGb: `${m.memoryUsedInGb}/${m.memoryInGb}`,
  pods: m.podCount,
  '$/gpu/hr': m.pricePerGpu,
})

async function machineCommand(
  id: string,
  o: { output: OutputFormat },
  run: (ctx: AppContext) => Promise<unknown>,
) {
  const view = await withContext(async (ctx) => {
    await run(ctx)
    return adminMachineView(await ctx.fleet.getMachine(id), ctx.catalog(), ctx.clock.now())
  })
  print(o.output, view, machineColumns)
}

function machinesCommand(): Command {
  const machines = new Command('machines').description(
    'machines: list, add, cordon, drain, fail, recover, remove',
  )

  machines
    .command('ls')
    .description('list machines with their allocation')
    .option('--dc <ids>', 'only these data centers (comma-separated)')
    .option('--gpu <ids>', 'only these GPU types (comma-separated)')
    .option('--state <state>', 'ready, cordoned, maintenance or failed')
    .addOption(outputOption())
    .addHelpText('after', '\nExample:\n  podplane fleet machines ls --dc US-TX-3 --state cordoned -o json')
    .action(async (o: { dc?: string; gpu?: string; state?: string; output: OutputFormat }) => {
      const views = await withContext(async (ctx) => {
        const rows = await ctx.fleet.listMachines({
          dataCenterIds: o.dc?.split(','),
          gpuTypeIds: o.gpu?.split(','),
        })
        return rows.map((m) => adminMachineView(m, ctx.catalog(), ctx.clock.now()))
      })
      print(o.output, o.state ? views.filter((m) => m.state === o.state) : views, machineColumns)
    })

  machines
    .command('add')
    .description('add a machine to the fleet')
    .requiredOption('--dc <id>', 'data center')
    .option('--gpu <typeId>', 'GPU type (for a GPU machine)')
    .option('--count <n>', 'GPUs in the machine', nonNegativeInt, 1)
    .option('--cpu-flavor <id>', 'CPU flavor (for a CPU-only host)')
    .requiredOption('--vcpus <n>', 'vCPUs', nonNegativeInt)
    .requiredOption('--memory <gb>', 'RAM in GB', nonNegativeInt)
    .requiredOption('--disk <gb>', 'disk in GB', nonNegativeInt)
    .option('--community', 'Community Cloud (default Secure Cloud)')
    .option('--cuda <version>', 'CUDA version of the host')
    .option('--public-ip <ip>', 'public IPv4 of the host')
    .option('--price <usd>', 'on-demand price per GPU-hour (default: the GPU type’s)', nonNegativeNumber)
    .option('--note <text>', 'a note for operators')
    .addOption(outputOption())
    .addHelpText(
      'after',
      '\nExample:\n  podplane fleet machines add --dc US-TX-3 --gpu "NVIDIA H100 80GB HBM3" --count 8 --vcpus 224 --memory 2048 --disk 8000',
    )
    .action(async (o: AddOptions) => {
      const view = await withContext(async (ctx) => {
        const m = await ctx.fleet.addMachine({
          dataCenterId: o.dc,
          gpuTypeId: o.gpu,
          gpuCount: o.gpu ? o.count : undefined,
          cpuFlavorId: o.cpuFlavor,
          vcpuCount: o.vcpus,
          memoryInGb: o.memory,
          diskInGb: o.disk,
          secureCloud: !o.community,
          cudaVersion: o.cuda,
          publicIp: o.publicIp,
          pricePerGpu: o.price,
          note: o.note,
        })
        return adminMachineView(m, ctx.catalog(), ctx.clock.now())
      })
      print(o.output, view, machineColumns)
    })

  machines
    .command('set <machineId>')
    .description('change price, note or maintenance window')
    .option('--price <usd>', 'on-demand price per GPU-hour', nonNegativeNumber)
    .option('--note <text>', 'a note for operators')
    .option('--maintenance-start <iso>', 'maintenance window start')
    .option('--maintenance-end <iso>', 'maintenance window end')
    .option('--maintenance-note <text>', 'what the maintenance is for')
    .addOption(outputOption())
    .action(async (id: string, o: SetOptions) => {
      await machineCommand(id, o, (ctx) =>
        ctx.fleet.updateMachine(id, {
          pricePerGpu: o.price,
          note: o.note,
          maintenanceStart: o.maintenanceStart,
          maintenanceEnd: o.maintenanceEnd,
          maintenanceNote: o.maintenanceNote,
        }),
      )
    })

  for (const [name, description, run] of [
    [
      'cordon',
      'take no new pods; running pods stay',
      (ctx: AppContext, id: string) => ctx.fleet.setCordoned(id, true),
    ],
    ['uncordon', 'take new pods again', (ctx: AppContext, id: string) => ctx.fleet.setCordoned(id, false)],
    ['recover', 'bring a failed machine back', (ctx: AppContext, id: string) => ctx.fleet.recover(id)],
  ] as const) {
    machines
      .command(`${name} <machineId>`)
      .description(description)
      .addOption(outputOption())
      .action((id: string, o: { output: OutputFormat }) => machineCommand(id, o, (ctx) => run(ctx, id)))
  }

  machines
    .command('drain <machineId>')
    .description('cordon the machine and stop (or --move) what runs there')
    .option('--reason <text>', 'shown in the pods’ status')
    .option('--move', 'move running pods to other machines instead of stopping them')
    .addOption(outputOption())
    .action(async (id: string, o: { reason?: string; move?: boolean; output: OutputFormat }) => {
      const outcome = await withContext(async (ctx) => {
        const { stopped, moved } = await ctx.fleet.drain(id, o)
        return { stopped, moved }
      })
      print(o.output, outcome, (r) => ({ stopped: r.stopped.length, moved: r.moved.length }))
    })

  machines
    .command('fail <machineId>')
    .description('take a machine down (fault injection): its pods exit')
    .option('--reason <text>', 'shown in the pods’ status')
    .addOption(outputOption())
    .action(async (id: string, o: { reason?: string; output: OutputFormat }) => {
      const outcome = await withContext(async (ctx) => ({
        stopped: (await ctx.fleet.fail(id, o.reason)).stopped,
      }))
      print(o.output, outcome, (r) => ({ stopped: r.stopped.length }))
    })

  machines
    .command('rm <machineId>')
    .description('remove a machine (refused while pods are placed on it)')
    .action(async (id: string) => {
      await withContext((ctx) => ctx.fleet.removeMachine(id))
      process.stdout.write(`removed ${id}\n`)
    })

  return machines
}

function catalogCommands(): Command[] {
  const dcs = new Command('datacenters').description('data centers')
  dcs
    .command('ls')
    .description('list data centers')
    .addOption(outputOption())
    .action(async (o: { output: OutputFormat }) => {
      const list = await withContext(async (ctx) =>
        [...ctx.catalog().dataCenters.values()].map(dataCenterView),
      )
      print(o.output, list, (d) => ({
        id: d.id,
        location: d.location,
        country: d.countryCode,
        globalNetworking: String(d.globalNetworking),
      }))
    })
  dcs
    .command('add <id>')
    .description('add a data center')
    .requiredOption('--location <text>', 'where it is')
    .requiredOption('--country <code>', 'ISO country code')
    .option('--global-networking', 'offers global networking')
    .action(async (id: string, o: { location: string; country: string; globalNetworking?: boolean }) => {
      await withContext((ctx) =>
        ctx.fleet.addDataCenter({
          id,
          location: o.location,
          countryCode: o.country,
          globalNetworking: o.globalNetworking,
        }),
      )
      process.stdout.write(`added ${id}\n`)
    })

  const gpus = new Command('gpu-types').description('GPU types and their prices')
  gpus
    .command('ls')
    .description('list GPU types with their prices')
    .addOption(outputOption())
    .action(async (o: { output: OutputFormat }) => {
      const list = await withContext(async (ctx) => [...ctx.catalog().gpuTypes.values()].map(gpuTypeView))
      print(o.output, list, (t) => ({
        id: t.id,
        name: t.displayName,
        memGb: t.memoryInGb,
        secure: t.securePrice,
        community: t.communityPrice,
        spot: t.secureSpotPrice,
      }))
    })
  gpus
    .command('set-price <gpuTypeId>')
    .description('re-price a GPU type for new rentals')
    .option('--secure <usd>', 'Secure Cloud on-demand price per GPU-hour', nonNegativeNumber)
    .option('--community <usd>', 'Community Cloud on-demand price per GPU-hour', nonNegativeNumber)
    .option('--secure-spot <usd>', 'Secure Cloud spot price', nonNegativeNumber)
    .option('--community-spot <usd>', 'Community Cloud spot price', nonNegativeNumber)
    .action(async (id: string, o: Record<string, number | undefined>) => {
      const type = await withContext((ctx) =>
        ctx.fleet.updateGpuType(id, {
          securePrice: o.secure,
          communityPrice: o.community,
          secureSpotPrice: o.secureSpot,
          communitySpotPrice: o.communitySpot,
        }),
      )
      process.stdout.write(`${type.id}: secure ${type.securePrice}, community ${type.communityPrice}\n`)
    })
  return [dcs, gpus]
}

export function fleetCommand(): Command {
  const fleet = new Command('fleet').description('the machines pods run on (server-side, on PODPLANE_DB)')

  fleet
    .command('seed')
    .description('add a deterministic simulated fleet (same seed, same machines; re-running adds nothing)')
    .option('--machines <n>', 'how many machines to generate', nonNegativeInt, 300)
    .option('--seed <s>', 'the generator seed', nonNegativeInt, 1)
    .addHelpText('after', '\nExample:\n  npm run -s podplane -- fleet seed --machines 10000 --seed 7')
    .action(async (options: { machines: number; seed: number }) => {
      const { inserted } = await withStore((store) =>
        seedFleet(store, { machines: options.machines, seed: options.seed, now: Date.now() }),
      )
      process.stdout.write(`added ${inserted} machines (seed ${options.seed})\n`)
    })

  fleet.addCommand(machinesCommand())
  fleet.addCommand(joinTokenCommand())
  for (const command of catalogCommands()) fleet.addCommand(command)
  return fleet
}
