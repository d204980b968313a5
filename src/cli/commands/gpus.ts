import { Command, Option } from 'commander'
import type { V2 } from '../../client/index.js'
import { clientFor } from '../api.js'
import { formats } from '../client-commands.js'
import { type OutputFormat, print, type View } from '../output.js'
import { list, nonNegativeInt, positiveInt } from '../parse.js'

type Level = NonNullable<V2.GpuType['availability']>
type Cloud = 'SECURE' | 'COMMUNITY'

const RANK: Record<Level, number> = { NONE: 0, LOW: 1, MEDIUM: 2, HIGH: 3 }

/** A GPU type's stock in one data center; NONE where the catalog lists none there. */
export const levelIn = (gpu: V2.GpuType, dc: string): Level =>
  gpu.dataCenters?.find((d) => d.id === dc)?.availability ?? 'NONE'

const priceOn = (gpu: V2.GpuType, cloud: Cloud) =>
  cloud === 'COMMUNITY' ? gpu.price.community : gpu.price.secure

/** `0.20`, `1.49`, `0.345`: cents always shown, finer prices kept. */
const dollars = (price: number) =>
  Number.isInteger(Math.round(price * 1e6) / 1e4) ? price.toFixed(2) : String(price)

/** The table for `podplane gpus`: one column per `--dc` asked about, and every data center in wide. */
export function gpuView(cloud: Cloud, dcs: readonly string[]): View<V2.GpuType> {
  return {
    columns: (g) => ({
      id: g.id,
      mem_gb: g.memory,
      secure_$_hr: dollars(g.price.secure),
      community_$_hr: dollars(g.price.community),
      availability: g.availability ?? '',
      ...Object.fromEntries(dcs.map((dc) => [dc, levelIn(g, dc)])),
    }),
    wide: (g) => ({
      name: g.name,
      max_count: cloud === 'COMMUNITY' ? g.maxCount.community : g.maxCount.secure,
      datacenters: [...(g.dataCenters ?? [])]
        .filter((d) => d.availability !== 'NONE')
        .sort((a, b) => RANK[b.availability] - RANK[a.availability] || a.id.localeCompare(b.id))
        .map((d) => `${d.id}:${d.availability}`)
        .join(' '),
    }),
    name: (g) => g.id,
  }
}

export interface GpuFilters {
  readonly cloud: Cloud
  readonly dc?: readonly string[]
  readonly minMemory?: number
  readonly available?: boolean
  readonly sort?: 'price' | 'memory' | 'name'
}

/** The rows `podplane gpus` keeps, in the order asked for (the catalog's own order otherwise). */
export function selectGpus(gpus: readonly V2.GpuType[], f: GpuFilters): V2.GpuType[] {
  const kept = gpus.filter(
    (g) =>
      (f.minMemory === undefined || g.memory >= f.minMemory) &&
      (!f.available || (g.availability !== undefined && g.availability !== 'NONE')) &&
      (f.dc === undefined || f.dc.some((dc) => levelIn(g, dc) !== 'NONE')),
  )
  const byName = (a: V2.GpuType, b: V2.GpuType) => a.id.localeCompare(b.id)
  switch (f.sort) {
    case 'price':
      return kept.sort((a, b) => priceOn(a, f.cloud) - priceOn(b, f.cloud) || byName(a, b))
    case 'memory':
      return kept.sort((a, b) => a.memory - b.memory || priceOn(a, f.cloud) - priceOn(b, f.cloud))
    case 'name':
      return kept.sort(byName)
    default:
      return kept
  }
}

interface GpuOptions {
  count?: number
  cloud: Cloud
  dc?: string[]
  country?: string[]
  minCuda?: string
  minMemory?: number
  available?: boolean
  sort?: 'price' | 'memory' | 'name'
  output: OutputFormat
}

export function gpusCommand(): Command {
  return new Command('gpus')
    .description('GPU types with prices and how many pods of them could start now (v2 catalog)')
    .option('--count <n>', 'GPUs per pod that availability is for', positiveInt, 1)
    .addOption(
      new Option('--cloud <type>', 'cloud that availability is for')
        .choices(['SECURE', 'COMMUNITY'])
        .default('SECURE'),
    )
    .option('--dc <ids>', 'only types stocked in these data centers, with a column each', list)
    .option('--country <codes>', 'availability only in these countries (ISO codes)', list)
    .option('--min-cuda <version>', 'availability only on machines with at least this CUDA')
    .option('--min-memory <gb>', 'only types with at least this much VRAM', nonNegativeInt)
    .option('--available', 'hide types with no availability (NONE)')
    .addOption(new Option('--sort <key>', 'order rows by').choices(['price', 'memory', 'name']))
    .addOption(formats())
    .addHelpText(
      'after',
      `
Prices are per GPU per hour; -o wide adds each data center's availability.

Examples:
  $ podplane gpus --available --sort price
  $ podplane gpus --count 8 --cloud SECURE --min-memory 80 -o wide
  $ podplane gpus --dc EU-RO-1,US-TX-3 --sort memory
  $ podplane gpus --available -o name`,
    )
    .action(async function (this: Command, o: GpuOptions) {
      const { gpus } = await clientFor(this).v2.catalog.gpus({
        include: ['AVAILABILITY'],
        product: ['POD'],
        count: o.count,
        cloud: o.cloud,
        ...(o.country ? { countryCodes: o.country } : {}),
        ...(o.minCuda ? { minCudaVersion: o.minCuda } : {}),
      })
      const rows = selectGpus(gpus, {
        cloud: o.cloud,
        dc: o.dc,
        minMemory: o.minMemory,
        available: o.available,
        sort: o.sort,
      })
      print(o.output, rows, gpuView(o.cloud, o.dc ?? []))
    })
}
