import {
  Alert,
  Anchor,
  Badge,
  Button,
  Card,
  Code,
  Group,
  SimpleGrid,
  Stack,
  Table,
  Tabs,
  Text,
  Title,
} from '@mantine/core'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import { type ReactNode, useState } from 'react'
import type { V1 } from '../../../src/client/index.js'
import { useSession } from '../auth.js'
import { type BulkAction, ConfirmAction } from '../components/confirm-action.js'
import { CopyText } from '../components/copy-text.js'
import { PodLogs } from '../components/pod-logs.js'
import { ErrorState, Loading } from '../components/states.js'
import { errorMessage, hoursSince, PHASE_COLORS, podPhase, publicAddress, usd } from '../format.js'
import { Link, navigate } from '../router.js'

const SETTLED = new Set(['RUNNING', 'EXITED', 'ERROR', 'TERMINATED'])
const INCLUDES = {
  includeMachine: true,
  includeNetworkVolume: true,
  includeTemplate: true,
  includeSavingsPlans: true,
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <Table.Tr>
      <Table.Th scope="row" w={200}>
        {label}
      </Table.Th>
      <Table.Td style={{ wordBreak: 'break-all' }}>{children}</Table.Td>
    </Table.Tr>
  )
}

const show = (value: unknown): string =>
  value === undefined || value === null || value === ''
    ? '—'
    : typeof value === 'object'
      ? JSON.stringify(value)
      : String(value)

function Connection({ pod, ssh }: { pod: V1.Pod; ssh: string | null }) {
  return (
    <Card withBorder>
      <Title order={3} size="h4" mb="xs">
        Connection
      </Title>
      <Stack gap="xs">
        <Text size="sm">Public IP: {pod.publicIp ?? 'not yet (the pod is starting or stopped)'}</Text>
        <Table fz="sm" withTableBorder>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Port</Table.Th>
              <Table.Th>Public address</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {pod.ports.map((port) => (
              <Table.Tr key={port}>
                <Table.Td>{port}</Table.Td>
                <Table.Td data-testid={`port-${port}`}>
                  {publicAddress(pod, port) ?? (port.endsWith('/http') ? 'HTTP proxy (no public port)' : '—')}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
        {ssh ? <CopyText value={ssh} label="ssh command" /> : <Text size="sm">No ssh yet.</Text>}
      </Stack>
    </Card>
  )
}

/** One pod: every field, connection info, live logs, cost so far, actions and the raw JSON. */
export function PodDetailPage({ podId }: { podId: string }) {
  const { client } = useSession()
  const queryClient = useQueryClient()
  const [action, setAction] = useState<BulkAction | null>(null)
  const pod = useQuery({
    queryKey: ['pod', podId],
    queryFn: ({ signal }) => client.v1.pods.get(podId, INCLUDES, { signal }),
    refetchInterval: (query) =>
      query.state.data && podPhase(query.state.data) === 'STARTING' ? 1_000 : 5_000,
  })
  const v2 = useQuery({
    queryKey: ['pod', podId, 'v2'],
    queryFn: ({ signal }) => client.v2.pods.get(podId, { signal }),
    enabled: pod.isSuccess,
    // v2 has the real lifecycle (PROVISIONING → STARTING → RUNNING): poll fast while it moves.
    refetchInterval: (query) => (SETTLED.has(query.state.data?.status ?? '') ? 5_000 : 1_000),
  })
  const act = useMutation({
    mutationFn: async (kind: BulkAction) => {
      await client.v1.pods[kind](podId)
      return kind
    },
    onSuccess: (kind) => {
      setAction(null)
      if (kind === 'delete') {
        queryClient.removeQueries({ queryKey: ['pod', podId] })
        navigate('/pods')
      }
    },
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['pod', podId] }),
  })

  const restart = useMutation({
    mutationFn: () => client.v1.pods.restart(podId),
    onSettled: () => queryClient.invalidateQueries({ queryKey: ['pod', podId] }),
  })

  if (pod.isPending) return <Loading label="Loading pod…" />
  if (pod.isError) return <ErrorState error={pod.error} title="Could not load the pod" />
  const p = pod.data
  const phase = v2.data?.status ?? podPhase(p)
  const running = p.desiredStatus === 'RUNNING'
  const costSoFar = running ? p.adjustedCostPerHr * hoursSince(p.lastStartedAt) : 0
  const ssh = v2.data?.ssh.direct?.command ?? v2.data?.ssh.proxy?.command ?? null

  return (
    <Stack>
      <Group justify="space-between">
        <Group>
          <Title order={2}>{p.name || p.id}</Title>
          <Badge color={PHASE_COLORS[phase]} size="lg" variant="light" data-testid="pod-phase">
            {phase}
          </Badge>
        </Group>
        <Group gap="xs">
          <Button variant="default" disabled={running} onClick={() => setAction('start')}>
            Start
          </Button>
          <Button variant="default" disabled={!running} onClick={() => setAction('stop')}>
            Stop
          </Button>
          <Button
            variant="default"
            disabled={!running}
            loading={restart.isPending}
            onClick={() => restart.mutate()}
          >
            Restart
          </Button>
          <Button color="red.9" onClick={() => setAction('delete')}>
            Delete
          </Button>
        </Group>
      </Group>
      <Anchor component={Link} href="/pods" size="sm">
        ← All pods
      </Anchor>
      {(act.error || restart.error) && (
        <Alert color="red" role="alert" title="The action failed">
          {errorMessage(act.error ?? restart.error)}
        </Alert>
      )}
      <SimpleGrid cols={{ base: 1, md: 3 }}>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Cost per hour
          </Text>
          <Text size="xl" fw={700}>
            {usd(p.adjustedCostPerHr)}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            Cost so far (this run)
          </Text>
          <Text size="xl" fw={700} data-testid="cost-so-far">
            {usd(costSoFar, 4)}
          </Text>
        </Card>
        <Card withBorder>
          <Text size="sm" c="dimmed">
            GPU
          </Text>
          <Text size="xl" fw={700}>
            {p.gpu ? `${p.gpu.count}× ${p.gpu.displayName}` : `CPU, ${p.vcpuCount} vCPU`}
          </Text>
        </Card>
      </SimpleGrid>
      <Connection pod={p} ssh={ssh} />
      <Tabs defaultValue="fields" keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="fields">Fields</Tabs.Tab>
          <Tabs.Tab value="logs">Logs</Tabs.Tab>
          <Tabs.Tab value="json">Raw JSON</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="fields" pt="sm">
          <Table fz="sm" withTableBorder>
            <Table.Tbody>
              {Object.entries(p)
                .sort(([a], [b]) => a.localeCompare(b))
                .map(([key, value]) => (
                  <Field key={key} label={key}>
                    {show(value)}
                  </Field>
                ))}
            </Table.Tbody>
          </Table>
        </Tabs.Panel>
        <Tabs.Panel value="logs" pt="sm">
          <PodLogs podId={podId} />
        </Tabs.Panel>
        <Tabs.Panel value="json" pt="sm">
          <Code block data-testid="raw-json">
            {JSON.stringify(p, null, 2)}
          </Code>
        </Tabs.Panel>
      </Tabs>
      <ConfirmAction
        action={action}
        count={1}
        busy={act.isPending}
        onClose={() => setAction(null)}
        onConfirm={() => action && act.mutate(action)}
      />
    </Stack>
  )
}
