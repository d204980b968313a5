import { Badge, Group, Radio, ScrollArea, Table, Text } from '@mantine/core'
import type { V2 } from '../../../src/client/index.js'
import { usd } from '../format.js'

const LEVEL_COLORS: Record<string, string> = { HIGH: 'green', MEDIUM: 'yellow', LOW: 'orange', NONE: 'gray' }
const LEVEL_RANK: Record<string, number> = { HIGH: 0, MEDIUM: 1, LOW: 2, NONE: 3 }
const rank = (gpu: V2.GpuType) => LEVEL_RANK[gpu.availability ?? 'NONE'] ?? 3

/**
 * The GPU types of the catalog with memory, price per cloud and live availability; the chosen
 * one lists its availability per data center.
 */
export function GpuPicker({
  gpus,
  value,
  onChange,
  error,
}: {
  gpus: readonly V2.GpuType[]
  value: string | null
  onChange: (gpuTypeId: string) => void
  error?: string
}) {
  const chosen = gpus.find((gpu) => gpu.id === value)
  // What can be placed now comes first; then by name.
  const sorted = [...gpus].sort((a, b) => rank(a) - rank(b) || a.name.localeCompare(b.name))
  return (
    <Radio.Group label="GPU type" value={value} onChange={onChange} error={error} withAsterisk>
      <ScrollArea h={260} type="auto" mt="xs" aria-label="GPU types">
        <Table fz="sm" stickyHeader highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>GPU</Table.Th>
              <Table.Th>Memory</Table.Th>
              <Table.Th>Secure $/hr</Table.Th>
              <Table.Th>Community $/hr</Table.Th>
              <Table.Th>Availability</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.map((gpu) => (
              <Table.Tr key={gpu.id}>
                <Table.Td>
                  <Radio value={gpu.id} label={gpu.name} aria-label={gpu.id} />
                </Table.Td>
                <Table.Td>{gpu.memory} GB</Table.Td>
                <Table.Td>{gpu.secure ? usd(gpu.price.secure, 2) : '—'}</Table.Td>
                <Table.Td>{gpu.community ? usd(gpu.price.community, 2) : '—'}</Table.Td>
                <Table.Td>
                  <Badge
                    variant="light"
                    color={LEVEL_COLORS[gpu.availability ?? 'NONE']}
                    data-testid={`availability-${gpu.id}`}
                  >
                    {gpu.availability ?? 'unknown'}
                  </Badge>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </ScrollArea>
      {chosen?.dataCenters && (
        <Group gap={6} mt="xs" aria-label={`Availability of ${chosen.name} per data center`}>
          <Text size="sm">By data center:</Text>
          {chosen.dataCenters.map((dc) => (
            <Badge key={dc.id} variant="outline" color={LEVEL_COLORS[dc.availability]}>
              {dc.id}: {dc.availability}
            </Badge>
          ))}
        </Group>
      )}
    </Radio.Group>
  )
}
