import {
  Alert,
  Badge,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { useMemo, useState } from 'react'
import { adminCall, type FleetUser, type Machine, type MachineAction, utilizationBy } from '../admin.js'
import { useSession } from '../auth.js'
import { ErrorState, Loading } from '../components/states.js'
import { UtilizationChart } from '../components/utilization-chart.js'
import { errorMessage, usd } from '../format.js'

/** Machines shown at once; filters narrow a large fleet. */
const MAX_ROWS = 300

const STATE_COLORS: Record<string, string> = {
  ready: 'green',
  cordoned: 'yellow',
  maintenance: 'orange',
  failed: 'red',
}

/** What an operator can do to a machine in its state. */
function actionsFor(machine: Machine): MachineAction[] {
  if (machine.state === 'failed') return ['recover']
  return [machine.cordoned ? 'uncordon' : 'cordon', 'drain', 'fail']
}

function MachinesTable({ machines }: { machines: Machine[] }) {
  const { apiKey } = useSession()
  const queryClient = useQueryClient()
  const act = useMutation({
    mutationFn: ({ id, action }: { id: string; action: MachineAction }) =>
      adminCall<Machine>(apiKey, 'POST', `/machines/${encodeURIComponent(id)}/${action}`),
    // A cordon or drain changes what the create page can offer, so the catalog is refetched too.
    onSettled: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: ['admin'] }),
        queryClient.invalidateQueries({ queryKey: ['catalog'] }),
      ]),
  })
  return (
    <>
      {act.error && (
        <Alert color="red" role="alert" mb="sm" title="The machine action failed">
          {errorMessage(act.error)}
        </Alert>
      )}
      <Table.ScrollContainer minWidth={800} maxHeight={480}>
        <Table stickyHeader striped fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Machine</Table.Th>
              <Table.Th>Runs on</Table.Th>
              <Table.Th>Data center</Table.Th>
              <Table.Th>GPU type</Table.Th>
              <Table.Th>GPUs used</Table.Th>
              <Table.Th>Pods</Table.Th>
              <Table.Th>State</Table.Th>
              <Table.Th>Actions</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {machines.slice(0, MAX_ROWS).map((m) => (
              <Table.Tr key={m.id} data-machine-id={m.id}>
                <Table.Td>{m.id}</Table.Td>
                <Table.Td title={m.agent?.runtimeError ?? m.agent?.runtime}>
                  {m.agent ? `agent on ${m.agent.hostname}` : m.driver}
                </Table.Td>
                <Table.Td>{m.dataCenterId}</Table.Td>
                <Table.Td>{m.gpuTypeId ?? 'CPU'}</Table.Td>
                <Table.Td>
                  {m.gpuUsed} / {m.gpuCount}
                </Table.Td>
                <Table.Td>{m.podCount}</Table.Td>
                <Table.Td>
                  <Badge variant="light" color={STATE_COLORS[m.state]} data-testid="machine-state">
                    {m.state}
                  </Badge>
                </Table.Td>
                <Table.Td>
                  <Group gap={4} wrap="nowrap">
                    {actionsFor(m).map((action) => (
                      <Button
                        key={action}
                        size="compact-xs"
                        variant="default"
                        aria-label={`${action} ${m.id}`}
                        loading={
                          act.isPending && act.variables?.id === m.id && act.variables.action === action
                        }
                        onClick={() => act.mutate({ id: m.id, action })}
                      >
                        {action}
                      </Button>
                    ))}
                  </Group>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {machines.length > MAX_ROWS && (
        <Text size="sm" c="dimmed" mt="xs">
          Showing {MAX_ROWS} of {machines.length} machines; filter to see others.
        </Text>
      )}
    </>
  )
}

function UsersTable({ users }: { users: FleetUser[] }) {
  const sorted = [...users].sort((a, b) => b.runningCostPerHr - a.runningCostPerHr)
  return (
    <Table.ScrollContainer minWidth={500}>
      <Table fz="sm" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>User</Table.Th>
            <Table.Th>Running pods</Table.Th>
            <Table.Th>Running cost</Table.Th>
            <Table.Th>Live keys</Table.Th>
            <Table.Th>Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {sorted.map((u) => (
            <Table.Tr key={u.id}>
              <Table.Td>{u.id}</Table.Td>
              <Table.Td>{u.runningPods}</Table.Td>
              <Table.Td>{usd(u.runningCostPerHr, 2)}/hr</Table.Td>
              <Table.Td>{u.liveKeys}</Table.Td>
              <Table.Td>{u.disabled ? 'disabled' : 'active'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  )
}

/** Fleet (admins): utilization, machines with cordon/drain/fail/recover, users and what they run. */
export default function FleetPage() {
  const { apiKey } = useSession()
  const [dataCenter, setDataCenter] = useState<string | null>(null)
  const [state, setState] = useState<string | null>(null)
  const machines = useQuery({
    queryKey: ['admin', 'machines'],
    queryFn: () => adminCall<Machine[]>(apiKey, 'GET', '/machines'),
    refetchInterval: 5_000,
  })
  const users = useQuery({
    queryKey: ['admin', 'users'],
    queryFn: () => adminCall<FleetUser[]>(apiKey, 'GET', '/users'),
    refetchInterval: 10_000,
  })
  const byDataCenter = useMemo(
    () => utilizationBy(machines.data ?? [], (m) => m.dataCenterId),
    [machines.data],
  )
  const byGpuType = useMemo(() => utilizationBy(machines.data ?? [], (m) => m.gpuTypeId), [machines.data])
  const shown = (machines.data ?? []).filter(
    (m) => (!dataCenter || m.dataCenterId === dataCenter) && (!state || m.state === state),
  )

  return (
    <Stack>
      <Title order={2}>Fleet</Title>
      {machines.isPending ? (
        <Loading label="Loading machines…" />
      ) : machines.isError ? (
        <ErrorState error={machines.error} title="Could not list machines" />
      ) : (
        <SimpleGrid cols={{ base: 1, xl: 2 }}>
          {(
            [
              ['GPU utilization by data center', byDataCenter],
              ['GPU utilization by GPU type', byGpuType],
            ] as const
          ).map(([label, rows]) => (
            <Card withBorder key={label}>
              <Title order={3} size="h4" mb="xs">
                {label}
              </Title>
              <UtilizationChart label={label} rows={rows} />
            </Card>
          ))}
        </SimpleGrid>
      )}
      <Card withBorder>
        <Group justify="space-between" mb="sm">
          <Title order={3} size="h4">
            Machines
          </Title>
          <Group gap="sm">
            <Select
              label="Data center"
              data={[...new Set((machines.data ?? []).map((m) => m.dataCenterId))].sort()}
              value={dataCenter}
              onChange={setDataCenter}
              clearable
              searchable
            />
            <Select
              label="State"
              data={['ready', 'cordoned', 'maintenance', 'failed']}
              value={state}
              onChange={setState}
              clearable
            />
          </Group>
        </Group>
        {machines.data && <MachinesTable machines={shown} />}
      </Card>
      <Card withBorder>
        <Title order={3} size="h4" mb="sm">
          Users
        </Title>
        {users.isPending ? (
          <Loading label="Loading users…" />
        ) : users.isError ? (
          <ErrorState error={users.error} title="Could not list users" />
        ) : (
          <UsersTable users={users.data} />
        )}
      </Card>
    </Stack>
  )
}
