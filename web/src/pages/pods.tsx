import {
  Alert,
  Button,
  Group,
  MultiSelect,
  Select,
  SimpleGrid,
  Switch,
  Text,
  TextInput,
  Title,
} from '@mantine/core'
import { useDebouncedCallback } from '@mantine/hooks'
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query'
import type { RowSelectionState } from '@tanstack/react-table'
import { useEffect, useMemo, useRef, useState } from 'react'
import { useSession } from '../auth.js'
import { type BulkAction, ConfirmAction } from '../components/confirm-action.js'
import { PodTable } from '../components/pod-table.js'
import { Empty, ErrorState, Loading } from '../components/states.js'
import { errorMessage, podPhase } from '../format.js'
import { useCatalogGpus, useDataCenters, useEndpoints, useNetworkVolumes, useTemplates } from '../queries.js'
import { Link, useSearch } from '../router.js'
import { filtersFromSearch, withFilter } from './pod-filters.js'

/** Polls faster while a pod is on its way up, so STARTING → RUNNING shows within a second or two. */
const FAST_POLL_MS = 1_000
const POLL_MS = 5_000

function TextFilter({ label, name, search, set }: FilterProps & { name: string }) {
  const urlValue = search.get(name) ?? ''
  const [value, setValue] = useState(urlValue)
  const input = useRef<HTMLInputElement>(null)
  const commit = useDebouncedCallback((next: string) => set(withFilter(search, name, next.trim())), 300)
  // Follow the URL (back/forward, a shared link) unless the user is typing here.
  useEffect(() => {
    if (document.activeElement !== input.current) setValue(urlValue)
  }, [urlValue])
  return (
    <TextInput
      ref={input}
      label={label}
      value={value}
      onChange={(event) => {
        setValue(event.currentTarget.value)
        commit(event.currentTarget.value)
      }}
    />
  )
}

interface FilterProps {
  label: string
  search: URLSearchParams
  set: (next: URLSearchParams) => void
}

function PodFilters({ search, set }: Omit<FilterProps, 'label'>) {
  const gpus = useCatalogGpus()
  const dataCenters = useDataCenters()
  const templates = useTemplates()
  const volumes = useNetworkVolumes()
  const endpoints = useEndpoints()
  const pick = (name: string) => ({
    value: search.get(name),
    onChange: (value: string | null) => set(withFilter(search, name, value)),
    clearable: true,
    searchable: true,
  })
  return (
    <SimpleGrid cols={{ base: 2, md: 3, lg: 5 }} spacing="sm" verticalSpacing="xs" mb="md">
      <MultiSelect
        label="GPU type"
        data={gpus.data?.gpus.map((gpu) => ({ value: gpu.id, label: gpu.name })) ?? []}
        value={search.getAll('gpuTypeId')}
        onChange={(value) => set(withFilter(search, 'gpuTypeId', value))}
        searchable
        clearable
      />
      <MultiSelect
        label="Data center"
        data={dataCenters.data?.dataCenters.map((dc) => dc.id) ?? []}
        value={search.getAll('dataCenterId')}
        onChange={(value) => set(withFilter(search, 'dataCenterId', value))}
        searchable
        clearable
      />
      <Select label="Status" data={['RUNNING', 'EXITED', 'TERMINATED']} {...pick('desiredStatus')} />
      <TextFilter label="Name" name="name" search={search} set={set} />
      <TextFilter label="Image" name="imageName" search={search} set={set} />
      <Select
        label="Template"
        data={templates.data?.map((t) => ({ value: t.id, label: t.name })) ?? []}
        {...pick('templateId')}
      />
      <Select
        label="Network volume"
        data={volumes.data?.map((v) => ({ value: v.id, label: v.name })) ?? []}
        {...pick('networkVolumeId')}
      />
      <Select
        label="Endpoint"
        data={endpoints.data?.map((e) => ({ value: e.id, label: e.name ?? e.id })) ?? []}
        {...pick('endpointId')}
      />
      <Select label="Compute type" data={['GPU', 'CPU']} {...pick('computeType')} />
      <Switch
        label="Include workers"
        mt={30}
        checked={search.get('includeWorkers') === 'true'}
        onChange={(event) => set(withFilter(search, 'includeWorkers', event.currentTarget.checked))}
      />
    </SimpleGrid>
  )
}

/** Pods: every v1 list filter as a control kept in the URL, a live table and bulk actions. */
export function PodsPage() {
  const { client } = useSession()
  const queryClient = useQueryClient()
  const [search, setSearch] = useSearch()
  const filters = filtersFromSearch(search)
  const pods = useQuery({
    queryKey: ['pods', filters],
    queryFn: ({ signal }) => client.v1.pods.list({ ...filters, includeMachine: true }, { signal }),
    refetchInterval: (query) =>
      query.state.data?.some((pod) => podPhase(pod) === 'STARTING') ? FAST_POLL_MS : POLL_MS,
  })
  const [selection, setSelection] = useState<RowSelectionState>({})
  const [action, setAction] = useState<BulkAction | null>(null)
  // Only pods still listed count (a filter or a delete may have hidden some); a Set keeps it linear.
  const listed = useMemo(() => new Set(pods.data?.map((pod) => pod.id)), [pods.data])
  const selected = Object.keys(selection).filter((id) => listed.has(id))

  const bulk = useMutation({
    mutationFn: async ({ kind, ids }: { kind: BulkAction; ids: string[] }) => {
      const results = await Promise.allSettled(ids.map((id) => client.v1.pods[kind](id)))
      const failed = results.flatMap((r) => (r.status === 'rejected' ? [errorMessage(r.reason)] : []))
      if (failed.length) throw new Error(`${failed.length} of ${ids.length} failed: ${failed[0]}`)
    },
    onSettled: () => {
      setAction(null)
      setSelection({})
      return queryClient.invalidateQueries({ queryKey: ['pods'] })
    },
  })

  return (
    <>
      <Group justify="space-between" mb="sm">
        <Title order={2}>Pods</Title>
        <Button component={Link} href="/pods/new">
          Create pod
        </Button>
      </Group>
      <PodFilters search={search} set={setSearch} />
      <Group mb="sm" justify="space-between">
        <Text size="sm" c="dimmed" aria-live="polite">
          {pods.data
            ? `${pods.data.length} pods${selected.length ? `, ${selected.length} selected` : ''}`
            : ''}
        </Text>
        <Group gap="xs">
          {(['stop', 'start', 'delete'] as const).map((kind) => (
            <Button
              key={kind}
              size="xs"
              variant={kind === 'delete' ? 'filled' : 'default'}
              color={kind === 'delete' ? 'red.9' : undefined}
              disabled={selected.length === 0}
              onClick={() => setAction(kind)}
            >
              {kind === 'stop' ? 'Stop' : kind === 'start' ? 'Start' : 'Delete'}
            </Button>
          ))}
        </Group>
      </Group>
      {bulk.error && (
        <Alert color="red" role="alert" mb="sm" title="Some actions failed">
          {errorMessage(bulk.error)}
        </Alert>
      )}
      {pods.isPending ? (
        <Loading label="Loading pods…" />
      ) : pods.isError ? (
        <ErrorState error={pods.error} title="Could not list pods" />
      ) : pods.data.length === 0 ? (
        <Empty>
          No pods match. <Link href="/pods/new">Create one</Link>.
        </Empty>
      ) : (
        <PodTable pods={pods.data} selection={selection} onSelectionChange={setSelection} />
      )}
      <ConfirmAction
        action={action}
        count={selected.length}
        busy={bulk.isPending}
        onClose={() => setAction(null)}
        onConfirm={() => action && bulk.mutate({ kind: action, ids: selected })}
      />
    </>
  )
}
