import { Anchor, Badge, Code, Group } from '@mantine/core'
import { useSession } from '../auth.js'
import { CrudPage, num, str } from '../components/crud-page.js'
import { PHASE_COLORS, podPhase } from '../format.js'
import { useCatalogGpus, useDataCenters, useTemplates } from '../queries.js'
import { Link } from '../router.js'
import { envText, parseEnv, splitList } from './pod-form.js'

/** Templates: image, ports, env and disks that pods and endpoints start from. */
export function TemplatesPage() {
  const { client } = useSession()
  const body = (v: Record<string, unknown>) => ({
    name: str(v.name as string),
    imageName: str(v.imageName as string),
    ports: splitList(str(v.ports as string)),
    env: parseEnv(str(v.env as string)),
    containerDiskInGb: num(v.containerDiskInGb as number),
    volumeInGb: num(v.volumeInGb as number),
  })
  return (
    <CrudPage
      title="Templates"
      noun="template"
      queryKey={['templates']}
      list={() => client.v1.templates.list()}
      nameOf={(t) => t.name}
      columns={[
        { label: 'Name', render: (t) => t.name },
        { label: 'Image', render: (t) => <Code>{t.imageName}</Code> },
        { label: 'Ports', render: (t) => t.ports.join(', ') },
        { label: 'Disks', render: (t) => `${t.containerDiskInGb} GB + ${t.volumeInGb} GB volume` },
        { label: 'Kind', render: (t) => (t.isServerless ? 'serverless' : 'pod') },
      ]}
      fields={[
        { name: 'name', label: 'Name', kind: 'text', required: true },
        { name: 'imageName', label: 'Image', kind: 'text', required: true },
        { name: 'ports', label: 'Ports', kind: 'text', description: 'e.g. 8888/http, 22/tcp' },
        { name: 'env', label: 'Environment', kind: 'textarea', description: 'One KEY=value per line' },
        { name: 'containerDiskInGb', label: 'Container disk (GB)', kind: 'number' },
        { name: 'volumeInGb', label: 'Volume (GB)', kind: 'number' },
        { name: 'isServerless', label: 'Serverless', kind: 'switch', createOnly: true },
      ]}
      empty={{
        name: '',
        imageName: '',
        ports: '',
        env: '',
        containerDiskInGb: 50,
        volumeInGb: 20,
        isServerless: false,
      }}
      toValues={(t) => ({
        name: t.name,
        imageName: t.imageName,
        ports: t.ports.join(', '),
        env: envText(t.env),
        containerDiskInGb: t.containerDiskInGb,
        volumeInGb: t.volumeInGb,
      })}
      create={(v) => client.v1.templates.create({ ...body(v), isServerless: Boolean(v.isServerless) })}
      update={(id, v) => client.v1.templates.update(id, body(v))}
      remove={(id) => client.v1.templates.delete(id)}
    />
  )
}

/** Network volumes: storage in one data center that pods and endpoints attach. */
export function NetworkVolumesPage() {
  const { client } = useSession()
  const dataCenters = useDataCenters()
  return (
    <CrudPage
      title="Network volumes"
      noun="network volume"
      queryKey={['networkVolumes']}
      list={() => client.v1.networkVolumes.list()}
      nameOf={(v) => v.name}
      columns={[
        { label: 'Name', render: (v) => v.name },
        { label: 'Data center', render: (v) => v.dataCenterId },
        { label: 'Size', render: (v) => `${v.size} GB` },
        { label: 'Id', render: (v) => <Code>{v.id}</Code> },
      ]}
      fields={[
        { name: 'name', label: 'Name', kind: 'text', required: true },
        {
          name: 'dataCenterId',
          label: 'Data center',
          kind: 'select',
          required: true,
          createOnly: true,
          data: dataCenters.data?.dataCenters.map((dc) => dc.id) ?? [],
        },
        { name: 'size', label: 'Size (GB)', kind: 'number', required: true },
      ]}
      empty={{ name: '', dataCenterId: null, size: 10 }}
      toValues={(v) => ({ name: v.name, size: v.size })}
      create={(v) =>
        client.v1.networkVolumes.create({
          name: str(v.name),
          dataCenterId: str(v.dataCenterId),
          size: num(v.size),
        })
      }
      update={(id, v) => client.v1.networkVolumes.update(id, { name: str(v.name), size: num(v.size) })}
      remove={(id) => client.v1.networkVolumes.delete(id)}
    />
  )
}

/** Container registry auths: credentials pods pull private images with (write-only passwords). */
export function RegistryAuthsPage() {
  const { client } = useSession()
  return (
    <CrudPage
      title="Registry auths"
      noun="registry auth"
      queryKey={['registryAuths']}
      list={() => client.v1.containerRegistryAuths.list()}
      nameOf={(a) => a.name}
      columns={[
        { label: 'Name', render: (a) => a.name },
        { label: 'Id', render: (a) => <Code>{a.id}</Code> },
      ]}
      fields={[
        { name: 'name', label: 'Name', kind: 'text', required: true },
        { name: 'username', label: 'Username', kind: 'text', required: true },
        { name: 'password', label: 'Password', kind: 'password', required: true },
      ]}
      empty={{ name: '', username: '', password: '' }}
      create={(v) =>
        client.v1.containerRegistryAuths.create({
          name: str(v.name),
          username: str(v.username),
          password: String(v.password ?? ''),
        })
      }
      remove={(id) => client.v1.containerRegistryAuths.delete(id)}
    />
  )
}

/** Serverless endpoints with their workers. */
export function EndpointsPage() {
  const { client } = useSession()
  const templates = useTemplates()
  const gpus = useCatalogGpus()
  const body = (v: Record<string, unknown>) => ({
    name: str(v.name as string),
    workersMin: num(v.workersMin as number),
    workersMax: num(v.workersMax as number),
  })
  return (
    <CrudPage
      title="Serverless endpoints"
      noun="endpoint"
      queryKey={['endpoints']}
      list={() => client.v1.endpoints.list({ includeWorkers: true })}
      nameOf={(e) => e.name ?? e.id}
      columns={[
        { label: 'Name', render: (e) => e.name ?? e.id },
        {
          label: 'Template',
          render: (e) => templates.data?.find((t) => t.id === e.templateId)?.name ?? e.templateId,
        },
        { label: 'GPUs', render: (e) => (e.gpuTypeIds ?? []).join(', ') || e.computeType },
        { label: 'Workers (min–max)', render: (e) => `${e.workersMin}–${e.workersMax}` },
        {
          label: 'Workers',
          render: (e) =>
            (e.workers ?? []).length === 0 ? (
              'none'
            ) : (
              <Group gap={4}>
                {(e.workers ?? []).map((w) => (
                  <Anchor key={w.id} component={Link} href={`/pods/${w.id}`} size="sm">
                    <Badge variant="light" color={PHASE_COLORS[podPhase(w)]}>
                      {w.id}: {podPhase(w)}
                    </Badge>
                  </Anchor>
                ))}
              </Group>
            ),
        },
      ]}
      fields={[
        { name: 'name', label: 'Name', kind: 'text', required: true },
        {
          name: 'templateId',
          label: 'Template',
          kind: 'select',
          required: true,
          createOnly: true,
          data:
            templates.data?.filter((t) => t.isServerless).map((t) => ({ value: t.id, label: t.name })) ?? [],
          description: 'Serverless templates',
        },
        {
          name: 'gpuTypeId',
          label: 'GPU type',
          kind: 'select',
          required: true,
          createOnly: true,
          data: gpus.data?.gpus.map((g) => ({ value: g.id, label: g.name })) ?? [],
        },
        { name: 'workersMin', label: 'Min workers', kind: 'number' },
        { name: 'workersMax', label: 'Max workers', kind: 'number' },
      ]}
      empty={{ name: '', templateId: null, gpuTypeId: null, workersMin: 0, workersMax: 2 }}
      toValues={(e) => ({ name: e.name ?? '', workersMin: e.workersMin, workersMax: e.workersMax })}
      create={(v) =>
        client.v1.endpoints.create({
          ...body(v),
          templateId: str(v.templateId),
          gpuTypeIds: [str(v.gpuTypeId)],
        })
      }
      update={(id, v) => client.v1.endpoints.update(id, body(v))}
      remove={(id) => client.v1.endpoints.delete(id)}
    />
  )
}
