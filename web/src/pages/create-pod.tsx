import {
  Alert,
  Button,
  Card,
  Grid,
  Group,
  MultiSelect,
  NumberInput,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core'
import { useMutation, useQueryClient } from '@tanstack/react-query'
import { type FormEvent, useState } from 'react'
import { useSession } from '../auth.js'
import { GpuPicker } from '../components/gpu-picker.js'
import { ErrorState, Loading } from '../components/states.js'
import { errorMessage, usd } from '../format.js'
import { useCatalogGpus, useDataCenters, useNetworkVolumes, useTemplates } from '../queries.js'
import { navigate } from '../router.js'
import {
  applyTemplate,
  EMPTY_FORM,
  hourlyCost,
  type PodForm,
  podCreateInput,
  validatePodForm,
} from './pod-form.js'

/** Create a GPU pod: catalog GPU picker, template pre-fill, volume attach, cost before creating. */
export function CreatePodPage() {
  const { client } = useSession()
  const queryClient = useQueryClient()
  const gpus = useCatalogGpus(true)
  const templates = useTemplates()
  const volumes = useNetworkVolumes()
  const dataCenters = useDataCenters()
  const [form, setForm] = useState<PodForm>(EMPTY_FORM)
  const [touched, setTouched] = useState(false)
  const errors = touched ? validatePodForm(form) : {}
  const set = <K extends keyof PodForm>(key: K, value: PodForm[K]) => setForm((f) => ({ ...f, [key]: value }))

  const create = useMutation({
    mutationFn: () => client.v1.pods.create(podCreateInput(form, volumes.data ?? [])),
    onSuccess: (pod) => {
      queryClient.invalidateQueries({ queryKey: ['pods'] })
      navigate(`/pods/${pod.id}`)
    },
  })

  const submit = (event: FormEvent) => {
    event.preventDefault()
    setTouched(true)
    if (Object.keys(validatePodForm(form)).length === 0) create.mutate()
  }

  if (gpus.isPending) return <Loading label="Loading the GPU catalog…" />
  if (gpus.isError) return <ErrorState error={gpus.error} title="Could not load the GPU catalog" />
  const cost = hourlyCost(form, gpus.data.gpus)
  const volume = volumes.data?.find((v) => v.id === form.networkVolumeId)

  return (
    <form onSubmit={submit} noValidate>
      <Title order={2} mb="md">
        Create pod
      </Title>
      <Grid>
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack>
            <Select
              label="Template"
              placeholder="None"
              searchable
              clearable
              data={
                templates.data?.filter((t) => !t.isServerless).map((t) => ({ value: t.id, label: t.name })) ??
                []
              }
              value={form.templateId}
              onChange={(id) => {
                const template = templates.data?.find((t) => t.id === id)
                setForm((f) => (template ? applyTemplate(f, template) : { ...f, templateId: null }))
              }}
            />
            <TextInput
              label="Name"
              value={form.name}
              onChange={(e) => set('name', e.currentTarget.value)}
              error={errors.name}
            />
            <TextInput
              label="Container image"
              withAsterisk
              value={form.imageName}
              onChange={(e) => set('imageName', e.currentTarget.value)}
              error={errors.imageName}
            />
            <GpuPicker
              gpus={gpus.data.gpus}
              value={form.gpuTypeId}
              onChange={(id) => set('gpuTypeId', id)}
              error={errors.gpuTypeId}
            />
            <Group grow align="flex-start">
              <NumberInput
                label="GPU count"
                min={1}
                max={8}
                value={form.gpuCount}
                onChange={(v) => set('gpuCount', Number(v))}
                error={errors.gpuCount}
              />
              <Stack gap={4}>
                <Text size="sm" fw={500} id="cloud-label">
                  Cloud
                </Text>
                <SegmentedControl
                  aria-labelledby="cloud-label"
                  data={['SECURE', 'COMMUNITY']}
                  value={form.cloudType}
                  onChange={(v) => set('cloudType', v as PodForm['cloudType'])}
                />
              </Stack>
            </Group>
            <TextInput
              label="Ports"
              description="Comma-separated, e.g. 8888/http, 22/tcp"
              value={form.ports}
              onChange={(e) => set('ports', e.currentTarget.value)}
              error={errors.ports}
            />
            <Textarea
              label="Environment"
              description="One KEY=value per line"
              autosize
              minRows={2}
              value={form.env}
              onChange={(e) => set('env', e.currentTarget.value)}
              error={errors.env}
            />
            <Group grow align="flex-start">
              <NumberInput
                label="Container disk (GB)"
                min={1}
                value={form.containerDiskInGb}
                onChange={(v) => set('containerDiskInGb', Number(v))}
                error={errors.containerDiskInGb}
              />
              <NumberInput
                label="Volume (GB)"
                min={0}
                value={form.volumeInGb}
                onChange={(v) => set('volumeInGb', Number(v))}
                error={errors.volumeInGb}
              />
            </Group>
            <Select
              label="Network volume"
              placeholder="None"
              clearable
              data={
                volumes.data?.map((v) => ({
                  value: v.id,
                  label: `${v.name} (${v.dataCenterId}, ${v.size} GB)`,
                })) ?? []
              }
              value={form.networkVolumeId}
              onChange={(id) => set('networkVolumeId', id)}
              description={
                volume ? `The pod will run in ${volume.dataCenterId}, where the volume is.` : undefined
              }
            />
            <MultiSelect
              label="Data centers"
              placeholder={volume ? volume.dataCenterId : 'Any'}
              disabled={volume !== undefined}
              searchable
              data={dataCenters.data?.dataCenters.map((dc) => dc.id) ?? []}
              value={volume ? [volume.dataCenterId] : form.dataCenterIds}
              onChange={(ids) => set('dataCenterIds', ids)}
            />
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Card withBorder pos="sticky" top={72}>
            <Text size="sm" c="dimmed">
              Cost per hour
            </Text>
            <Text size="xl" fw={700} data-testid="hourly-cost">
              {cost === null ? '—' : `${usd(cost, 2)}/hr`}
            </Text>
            <Text size="xs" c="dimmed" mb="md">
              GPUs at the {form.cloudType.toLowerCase()} catalog price; storage not included.
            </Text>
            {create.error && (
              <Alert color="red" role="alert" title="The pod was not created" mb="sm">
                {errorMessage(create.error)}
              </Alert>
            )}
            <Button type="submit" fullWidth loading={create.isPending}>
              Create pod
            </Button>
          </Card>
        </Grid.Col>
      </Grid>
    </form>
  )
}
