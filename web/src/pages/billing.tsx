import { Card, SegmentedControl, Stack, Table, Text, Title } from '@mantine/core'
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

/** Billing: spend per day by GPU type and by pod, as charts and tables, for a chosen range. */
export default function BillingPage() {
  const { client } = useSession()
  const [days, setDays] = useState<(typeof RANGES)[number]>('30')
  const startTime = useMemo(() => new Date(Date.now() - Number(days) * 86_400_000).toISOString(), [days])
  const query = (grouping: 'gpuTypeId' | 'podId') => ({
    queryKey: ['billing', grouping, days],
    queryFn: () => client.v1.billing.pods({ grouping, bucketSize: 'day', startTime }),
  })
  const byGpu = useQuery(query('gpuTypeId'))
  const byPod = useQuery(query('podId'))
  const gpuTable = useMemo(() => spendByDay(byGpu.data ?? [], (r) => r.gpuTypeId ?? ''), [byGpu.data])
  const podTable = useMemo(() => spendByDay(byPod.data ?? [], (r) => r.podId ?? ''), [byPod.data])

  return (
    <Stack>
      <Title order={2}>Billing</Title>
      <div>
        <Text size="sm" fw={500} id="range-label">
          Range (days)
        </Text>
        <SegmentedControl
          aria-labelledby="range-label"
          data={[...RANGES]}
          value={days}
          onChange={(v) => setDays(v as typeof days)}
        />
      </div>
      {byGpu.isPending || byPod.isPending ? (
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
