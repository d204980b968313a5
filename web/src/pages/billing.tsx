import { Card, Group, SegmentedControl, Stack, Table, Text, TextInput, Title } from '@mantine/core'
import { useQuery } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { useSession } from '../auth.js'
import { SpendChart } from '../components/spend-chart.js'
import { Empty, ErrorState, Loading } from '../components/states.js'
import { usd } from '../format.js'
import { type SpendTable, spendByDay } from './billing-data.js'

const RANGES = ['7', '30', '90'] as const

function SpendSection({ title, table }: { title: string; table: SpendTable }) {
  if (table.groups.length === 0) return <Empty>No spend in this range.</Empty>
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="xs">
        {title}
      </Title>
      <SpendChart label={title} days={table.days} series={table.groups} />
      <Table fz="sm" mt="sm" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{title.replace('Spend per day by ', '')}</Table.Th>
            <Table.Th>Total</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {table.groups.map((g) => (
            <Table.Tr key={g.name}>
              <Table.Td>{g.name}</Table.Td>
              <Table.Td>{usd(g.total, 4)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  )
}

const DAY = 86_400_000
const dateOf = (ms: number) => new Date(ms).toISOString().slice(0, 10)

/** The last `days` days, today included, as inclusive UTC dates. */
function lastDays(days: number): { from: string; until: string } {
  const today = Date.parse(`${dateOf(Date.now())}T00:00:00Z`)
  return { from: dateOf(today - (days - 1) * DAY), until: dateOf(today) }
}

/** Billing: spend per day by GPU type and by pod, as charts and tables, for a chosen range. */
export default function BillingPage() {
  const { client } = useSession()
  const [preset, setPreset] = useState<string>('30')
  const [range, setRange] = useState(() => lastDays(30))
  const startMs = Date.parse(`${range.from}T00:00:00Z`)
  const endMs = Date.parse(`${range.until}T00:00:00Z`) + DAY
  const rangeError =
    Number.isNaN(startMs) || Number.isNaN(endMs)
      ? 'Choose both dates.'
      : endMs <= startMs
        ? 'The range must end on or after the day it starts.'
        : undefined
  const query = (grouping: 'gpuTypeId' | 'podId') => ({
    queryKey: ['billing', grouping, range.from, range.until],
    queryFn: () =>
      client.v1.billing.pods({
        grouping,
        bucketSize: 'day',
        startTime: new Date(startMs).toISOString(),
        endTime: new Date(endMs).toISOString(),
      }),
    enabled: rangeError === undefined,
  })
  const byGpu = useQuery(query('gpuTypeId'))
  const byPod = useQuery(query('podId'))
  const gpuTable = useMemo(() => spendByDay(byGpu.data ?? [], (r) => r.gpuTypeId ?? ''), [byGpu.data])
  const podTable = useMemo(() => spendByDay(byPod.data ?? [], (r) => r.podId ?? ''), [byPod.data])
  const choose = (from: string, until: string) => {
    setPreset('')
    setRange({ from, until })
  }

  return (
    <Stack>
      <Title order={2}>Billing</Title>
      <Group align="flex-end">
        <div>
          <Text size="sm" fw={500} id="range-label">
            Last days
          </Text>
          <SegmentedControl
            aria-labelledby="range-label"
            data={[...RANGES]}
            value={preset}
            onChange={(v) => {
              setPreset(v)
              setRange(lastDays(Number(v)))
            }}
          />
        </div>
        <TextInput
          type="date"
          label="From"
          value={range.from}
          onChange={(e) => choose(e.currentTarget.value, range.until)}
        />
        <TextInput
          type="date"
          label="Until"
          value={range.until}
          onChange={(e) => choose(range.from, e.currentTarget.value)}
          error={rangeError}
        />
      </Group>
      {rangeError ? null : byGpu.isPending || byPod.isPending ? (
        <Loading label="Loading billing…" />
      ) : byGpu.isError || byPod.isError ? (
        <ErrorState error={byGpu.error ?? byPod.error} title="Could not load billing" />
      ) : (
        <>
          <SpendSection title="Spend per day by GPU type" table={gpuTable} />
          <SpendSection title="Spend per day by pod" table={podTable} />
        </>
      )}
    </Stack>
  )
}
