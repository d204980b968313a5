import { type Insertable, type Kysely, type Selectable, sql } from 'kysely'
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
    startSsh: row.start_ssh === 1,
    startJupyter: row.start_jupyter === 1,
    allowedCudaVersions: JSON.parse(row.allowed_cuda_versions),
    earned: row.earned,
    runtimeInMin: row.runtime_in_min,
    createdAt: row.created_at,
  }
}

function toRow(t: Template): Insertable<TemplatesTable> {
  return {
    id: t.id,
    user_id: t.userId,
    name: t.name,
    image_name: t.imageName,
    category: t.category,
    container_disk_gb: t.containerDiskInGb,
    volume_gb: t.volumeInGb,
    volume_mount_path: t.volumeMountPath,
    ports: JSON.stringify(t.ports),
    env: JSON.stringify(t.env),
    docker_entrypoint: JSON.stringify(t.dockerEntrypoint),
    docker_start_cmd: JSON.stringify(t.dockerStartCmd),
    readme: t.readme,
    is_public: t.isPublic ? 1 : 0,
    is_runpod: t.isRunpod ? 1 : 0,
    is_serverless: t.isServerless ? 1 : 0,
    container_registry_auth_id: t.containerRegistryAuthId,
    start_ssh: t.startSsh ? 1 : 0,
    start_jupyter: t.startJupyter ? 1 : 0,
    allowed_cuda_versions: JSON.stringify(t.allowedCudaVersions),
    earned: t.earned,
    runtime_in_min: t.runtimeInMin,
    created_at: t.createdAt,
  }
}

export interface TemplateVisibility {
  readonly includePublicTemplates?: boolean
  readonly includeRunpodTemplates?: boolean
  readonly includeEndpointBoundTemplates?: boolean
}

export class TemplateRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * The user's own templates, plus public and official ones when asked. Own templates that an
   * endpoint of the user runs on ("endpoint-bound") are left out unless asked for.
   */
  async list(userId: string, v: TemplateVisibility, id?: string): Promise<Template[]> {
    let query = this.db
      .selectFrom('templates as t')
      .selectAll('t')
      .where((eb) => {
        const own = v.includeEndpointBoundTemplates
          ? eb('t.user_id', '=', userId)
          : eb.and([
              eb('t.user_id', '=', userId),
              eb.not(
                eb.exists(
                  eb
                    .selectFrom('endpoints as e')
                    .select('e.id')
                    .whereRef('e.template_id', '=', 't.id')
                    .where('e.user_id', '=', userId),
                ),
              ),
            ])
        const visible = [own]
        if (v.includePublicTemplates) {
          visible.push(
            eb.and([eb('t.is_public', '=', 1), eb('t.is_runpod', '=', 0), eb('t.user_id', '!=', userId)]),
          )
        }
        if (v.includeRunpodTemplates) visible.push(eb('t.is_runpod', '=', 1))
        return eb.or(visible)
      })
    if (id !== undefined) query = query.where('t.id', '=', id)
    const rows = await query.orderBy('t.created_at').orderBy('t.id').execute()
    return rows.map(toTemplate)
  }

  /**
   * Public templates outside the user's own: official ones, or those other users shared.
   * Oldest first, at most `limit`.
   */
  async catalog(userId: string, source: 'official' | 'community', limit: number): Promise<Template[]> {
    let query = this.db.selectFrom('templates').selectAll()
    query =
      source === 'official'
        ? query.where('is_runpod', '=', 1)
        : query.where('is_public', '=', 1).where('is_runpod', '=', 0).where('user_id', '!=', userId)
    const rows = await query.orderBy('created_at').orderBy('id').limit(limit).execute()
    return rows.map(toTemplate)
  }

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

  async nameTaken(userId: string, name: string, exceptId?: string): Promise<boolean> {
    let query = this.db
      .selectFrom('templates')
      .select('id')
      .where('user_id', '=', userId)
      .where('name', '=', name)
    if (exceptId !== undefined) query = query.where('id', '!=', exceptId)
    return (await query.executeTakeFirst()) !== undefined
  }

  async insert(t: Template): Promise<void> {
    await this.db.insertInto('templates').values(toRow(t)).execute()
  }

  /** Official templates are seeded once; later runs leave existing ones alone. */
  async insertMissing(templates: readonly Template[]): Promise<void> {
    if (templates.length === 0) return
    await this.db
      .insertInto('templates')
      .values(templates.map(toRow))
      .onConflict((oc) => oc.column('id').doNothing())
      .execute()
  }

  async update(t: Template): Promise<void> {
    const { id, user_id, created_at, ...changes } = toRow(t)
    await this.db
      .updateTable('templates')
      .set({ ...changes, version: sql`version + 1` })
      .where('id', '=', id)
      .where('user_id', '=', user_id ?? '')
      .execute()
  }

  async delete(userId: string, id: string): Promise<void> {
    await this.db.deleteFrom('templates').where('id', '=', id).where('user_id', '=', userId).execute()
  }

  /** Ids of the user's live pods created from this template. */
  async podsUsing(userId: string, id: string): Promise<string[]> {
    const rows = await this.db
      .selectFrom('pods')
      .select('id')
      .where('user_id', '=', userId)
      .where('template_id', '=', id)
      .where('status', '!=', 'TERMINATED')
      .execute()
    return rows.map((r) => r.id)
  }

  /** Drops the user's templates' reference to a registry credential that is going away. */
  async detachRegistryAuth(userId: string, registryAuthId: string): Promise<void> {
    await this.db
      .updateTable('templates')
      .set({ container_registry_auth_id: null, version: sql`version + 1` })
      .where('user_id', '=', userId)
      .where('container_registry_auth_id', '=', registryAuthId)
      .execute()
  }
}
