import type { Kysely, Selectable } from 'kysely'
import type { Template } from '../domain/resources.js'
import { inChunks } from './chunked.js'
import type { Database, TemplatesTable } from './schema.js'

export function toTemplate(row: Selectable<TemplatesTable>): Template {
  return {
    id: row.id,
    userId: row.user_id,
    name: row.name,
    imageName: row.image_name,
    category: row.category,
    containerDiskInGb: row.container_disk_gb,
    volumeInGb: row.volume_gb,
    volumeMountPath: row.volume_mount_path,
    ports: JSON.parse(row.ports),
    env: JSON.parse(row.env),
    dockerEntrypoint: JSON.parse(row.docker_entrypoint),
    dockerStartCmd: JSON.parse(row.docker_start_cmd),
    readme: row.readme,
    isPublic: row.is_public === 1,
    isRunpod: row.is_runpod === 1,
    isServerless: row.is_serverless === 1,
    containerRegistryAuthId: row.container_registry_auth_id,
    earned: row.earned,
    runtimeInMin: row.runtime_in_min,
    createdAt: row.created_at,
  }
}

export class TemplateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** A template this user may use: their own, a public one, or an official one. */
  async getUsable(userId: string, id: string): Promise<Template | undefined> {
    const row = await this.db
      .selectFrom('templates')
      .selectAll()
      .where('id', '=', id)
      .where((eb) => eb.or([eb('user_id', '=', userId), eb('is_public', '=', 1), eb('is_runpod', '=', 1)]))
      .executeTakeFirst()
    return row && toTemplate(row)
  }

  async usableByIds(userId: string, ids: readonly string[]): Promise<Template[]> {
    const rows = await inChunks(ids, (chunk) =>
      this.db
        .selectFrom('templates')
        .selectAll()
        .where('id', 'in', chunk)
        .where((eb) => eb.or([eb('user_id', '=', userId), eb('is_public', '=', 1), eb('is_runpod', '=', 1)]))
        .execute(),
    )
    return rows.map(toTemplate)
  }
}
