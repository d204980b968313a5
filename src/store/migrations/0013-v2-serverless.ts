import { type Kysely, sql } from 'kysely'

/** The endpoint fields whose change starts a release, as the endpoints' config JSON holds them. */
const RELEASE_FIELDS = [
  'computeType',
  'gpuTypeIds',
  'gpuCount',
  'allowedCudaVersions',
  'minCudaVersion',
  'cpuFlavorIds',
  'vcpuCount',
  'dataCenterIds',
  'networkVolumeIds',
]

interface Row {
  id: string
  user_id: string
  template_id: string
  version: number
  config: string
  created_at: number
  image_name: string | null
  docker_start_cmd: string | null
  container_disk_gb: number | null
  ports: string | null
  env: string | null
  container_registry_auth_id: string | null
}

export async function up(db: Kysely<unknown>): Promise<void> {
  // Release history of serverless endpoints (REST v2 listEndpointReleases): one row per version.
  await db.schema
    .createTable('endpoint_releases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('endpoint_id', 'text', (c) => c.notNull())
    .addColumn('user_id', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('created_by_user_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute()
  await db.schema
    .createIndex('endpoint_releases_endpoint')
    .on('endpoint_releases')
    .columns(['endpoint_id', 'version'])
    .execute()
  // Existing endpoints start their history with the version they run now.
  const { rows } = await sql<Row>`
    select e.id, e.user_id, e.template_id, e.version, e.config, e.created_at, t.image_name,
      t.docker_start_cmd, t.container_disk_gb, t.ports, t.env, t.container_registry_auth_id
    from endpoints e left join templates t on t.id = e.template_id`.execute(db)
  for (const row of rows) {
    const config = JSON.parse(row.config)
    const snapshot: Record<string, unknown> = { templateId: row.template_id }
    for (const field of RELEASE_FIELDS) snapshot[field] = config[field]
    if (row.image_name !== null) {
      const env = JSON.parse(row.env ?? '{}') as Record<string, string>
      Object.assign(snapshot, {
        'template.imageName': row.image_name,
        'template.dockerStartCmd': JSON.parse(row.docker_start_cmd ?? '[]'),
        'template.containerDiskInGb': Number(row.container_disk_gb),
        'template.ports': JSON.parse(row.ports ?? '[]'),
        'template.env': Object.fromEntries(Object.entries(env).sort()),
        'template.containerRegistryAuthId': row.container_registry_auth_id,
      })
    }
    await sql`
      insert into endpoint_releases (id, endpoint_id, user_id, version, snapshot, created_by_user_id, created_at)
      values (${`${row.id}-v${row.version}`}, ${row.id}, ${row.user_id}, ${row.version},
        ${JSON.stringify(snapshot)}, ${row.user_id}, ${Number(row.created_at)})`.execute(db)
  }
}
