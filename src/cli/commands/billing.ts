import { Command, InvalidArgumentError, Option } from 'commander'
import type { PodplaneClient, V1 } from '../../client/index.js'
import { clientFor } from '../api.js'
import { type OutputFormat, outputOption, print, terminalTable } from '../output.js'
import { duration } from '../parse.js'
import type { Row } from '../table.js'

const BY = ['pods', 'gpus', 'endpoints', 'volumes'] as const
type By = (typeof BY)[number]
const BUCKETS = ['hour', 'day', 'week', 'month', 'year'] as const
type Bucket = (typeof BUCKETS)[number]

type Charge = V1.BillingRecord | V1.NetworkVolumeBillingRecord

/** `--since 2026-11-01`, `--since 2026-11-01T12:00:00Z`, or `--since 6h` (that long ago): an ISO time. */
export function instant(value: string, now = Date.now()): string {
  if (/^\d+(\.\d+)?(ms|s|m|h)$/.test(value)) return new Date(now - duration(value)).toISOString()
  if (/^\d+(\.\d+)?d$/.test(value))
    return new Date(now - Number(value.slice(0, -1)) * 86_400_000).toISOString()
  const at = Date.parse(value)
  if (Number.isNaN(at))
    throw new InvalidArgumentError('expected an ISO date or time, or an age like 6h or 7d')
  return new Date(at).toISOString()
}

/** `1h02m`, `3m05s`, `12s`: how long compute was billed. */
export function billedTime(ms: number): string {
  const s = Math.round(ms / 1000)
  if (s < 60) return `${s}s`
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`
  return `${Math.floor(s / 3600)}h${String(Math.floor(s / 60) % 60).padStart(2, '0')}m`
}

/** Four decimals, so a few seconds of a cheap GPU still shows; below that, `<0.0001`. */
const usd = (amount: number) => (amount > 0 && amount < 0.00005 ? '<0.0001' : amount.toFixed(4))

/** A bucket's start as its size reads best: the hour for hourly buckets, else the day. */
const bucketLabel = (time: string, bucket: Bucket) =>
  bucket === 'hour' ? `${time.slice(0, 13).replace('T', ' ')}:00` : time.slice(0, 10)

const GROUP: {
  readonly [K in Exclude<By, 'volumes'>]: { column: string; key: 'podId' | 'gpuTypeId' | 'endpointId' }
} = {
  pods: { column: 'pod', key: 'podId' },
  gpus: { column: 'gpu', key: 'gpuTypeId' },
  endpoints: { column: 'endpoint', key: 'endpointId' },
}

/** One row per bucket and group, oldest first, then a TOTAL row. */
export function billingRows(records: readonly Charge[], by: By, bucket: Bucket, wide = false): Row[] {
  const sorted = [...records].sort((a, b) => a.time.localeCompare(b.time))
  const total = sorted.reduce((sum, r) => sum + r.amount, 0)
  if (by === 'volumes') {
    const rows: Row[] = sorted.map((r) => ({
      time: bucketLabel(r.time, bucket),
      disk_gb: r.diskSpaceBilledGb,
      $: usd(r.amount),
    }))
    return [...rows, { time: 'TOTAL', disk_gb: '', $: usd(total) }]
  }
  const { column, key } = GROUP[by]
  const compute = sorted as V1.BillingRecord[]
  const rows: Row[] = compute.map((r) => ({
    time: bucketLabel(r.time, bucket),
    [column]: r[key] ?? '',
    billed: billedTime(r.timeBilledMs),
    disk_gb: r.diskSpaceBilledGb,
    $: wide ? String(r.amount) : usd(r.amount),
  }))
  const billedMs = compute.reduce((sum, r) => sum + r.timeBilledMs, 0)
  return [...rows, { time: 'TOTAL', [column]: '', billed: billedTime(billedMs), disk_gb: '', $: usd(total) }]
}

interface BillingOptions {
  by: By
  since?: string
  until?: string
  bucket?: Bucket
  pod?: string
  gpu?: string
  endpoint?: string
  output: OutputFormat
}

function fetchRecords(client: PodplaneClient, o: BillingOptions): Promise<Charge[]> {
  const range = {
    ...(o.since ? { startTime: o.since } : {}),
    ...(o.until ? { endTime: o.until } : {}),
    ...(o.bucket ? { bucketSize: o.bucket } : {}),
  }
  switch (o.by) {
    case 'volumes':
      return client.v1.billing.networkVolumes(range)
    case 'endpoints':
      return client.v1.billing.endpoints({
        ...range,
        grouping: 'endpointId',
        ...(o.endpoint ? { endpointId: o.endpoint } : {}),
        ...(o.gpu ? { gpuTypeId: [o.gpu] } : {}),
      })
    default:
      return client.v1.billing.pods({
        ...range,
        grouping: o.by === 'pods' ? 'podId' : 'gpuTypeId',
        ...(o.pod ? { podId: o.pod } : {}),
        ...(o.gpu ? { gpuTypeId: o.gpu } : {}),
      })
  }
}

export function billingCommand(): Command {
  return new Command('billing')
    .description('what you were charged, in time buckets (v1 billing), with a total')
    .addOption(new Option('--by <what>', 'group charges by').choices(BY).default('gpus'))
    .option(
      '--since <time>',
      'start: an ISO date or time, or an age like 6h or 7d (default 30 days ago)',
      (v) => instant(v),
    )
    .option('--until <time>', 'end: an ISO date or time, or an age (default now)', (v) => instant(v))
    .addOption(new Option('--bucket <size>', 'bucket size (default day)').choices(BUCKETS))
    .option('--pod <id>', 'only this pod (--by pods|gpus)')
    .option('--gpu <id>', 'only this GPU type (--by pods|gpus|endpoints)')
    .option('--endpoint <id>', 'only this endpoint (--by endpoints)')
    .addOption(outputOption(['table', 'wide', 'json', 'yaml']))
    .addHelpText(
      'after',
      `
Amounts are in USD; -o json gives the API's records as they are.

Examples:
  $ podplane billing
  $ podplane billing --by pods --since 24h --bucket hour
  $ podplane billing --by endpoints --since 2026-11-01 --until 2026-12-01 --bucket week
  $ podplane billing --by volumes -o json`,
    )
    .action(async function (this: Command, o: BillingOptions) {
      if (o.pod && (o.by === 'endpoints' || o.by === 'volumes'))
        this.error('error: --pod goes with --by pods or --by gpus', { exitCode: 2 })
      if (o.endpoint && o.by !== 'endpoints')
        this.error('error: --endpoint goes with --by endpoints', { exitCode: 2 })
      if (o.gpu && o.by === 'volumes')
        this.error('error: --gpu does not go with --by volumes', { exitCode: 2 })
      const records = await fetchRecords(clientFor(this), o)
      if (o.output === 'json' || o.output === 'yaml') return print(o.output, records, () => ({}))
      if (records.length === 0) {
        process.stdout.write('nothing billed in this range\n')
        return
      }
      process.stdout.write(terminalTable(billingRows(records, o.by, o.bucket ?? 'day', o.output === 'wide')))
    })
}
