import type { Clock } from '../clock.js'
import { newTemplateId } from '../ids.js'
import { isUniqueViolation } from '../store/errors.js'
import type { Store } from '../store/store.js'
import type { TemplateVisibility } from '../store/templates.js'
import { ApiError, badRequest, notFound } from './errors.js'
import { POD_DEFAULTS, validateMountPath, validatePorts } from './pod-spec.js'
import type { Template } from './resources.js'

export interface TemplateInput {
  readonly name?: string
  readonly imageName?: string
  readonly category?: 'NVIDIA' | 'AMD' | 'CPU'
  readonly containerDiskInGb?: number
  readonly volumeInGb?: number
  readonly volumeMountPath?: string
  readonly ports?: readonly string[]
  readonly env?: Readonly<Record<string, string>>
  readonly dockerEntrypoint?: readonly string[]
  readonly dockerStartCmd?: readonly string[]
  readonly readme?: string
  readonly isPublic?: boolean
  readonly isServerless?: boolean
  /** On update, null removes the credential. */
  readonly containerRegistryAuthId?: string | null
  readonly startSsh?: boolean
  readonly startJupyter?: boolean
  readonly allowedCudaVersions?: readonly string[]
}

/** Slices of the public template catalog, as REST v2 names them. */
export const CATALOG_SOURCES = ['official', 'verified', 'community'] as const
export type CatalogSlice = (typeof CATALOG_SOURCES)[number]

/** The public catalog answers with at most this many templates. */
const CATALOG_LIMIT = 100

export const templateNotFound = () => notFound('template')

const nameTaken = (name: string) => badRequest(`name: you already have a template named "${name}"`)

/** Two requests racing for one name: the database's unique index decides, the loser gets a 400. */
const nameClash = (name: string) => (error: unknown) => {
  throw isUniqueViolation(error) ? nameTaken(name) : error
}

export interface TemplateServiceOptions {
  readonly store: Store
  readonly clock: Clock
  /** Called after a template changed, so endpoints running on it roll out a new release. */
  readonly onChanged: (template: Template) => Promise<void>
}

/** Pod and serverless templates: private, public (shared by their owner) and official. */
export class TemplateService {
  constructor(private readonly o: TemplateServiceOptions) {}

  list(userId: string, visibility: TemplateVisibility): Promise<Template[]> {
    return this.o.store.templates.list(userId, visibility)
  }

  async get(userId: string, id: string, visibility: TemplateVisibility): Promise<Template> {
    const [template] = await this.o.store.templates.list(userId, visibility, id)
    if (!template) throw templateNotFound()
    return template
  }

  /**
   * Public templates: official ones, or what other users shared. podplane has no review of
   * community templates, so none is `verified`.
   */
  catalog(userId: string, source: CatalogSlice): Promise<Template[]> {
    if (source === 'verified') return Promise.resolve([])
    return this.o.store.templates.catalog(userId, source, CATALOG_LIMIT)
  }

  async create(
    userId: string,
    input: TemplateInput & { name: string; imageName: string },
  ): Promise<Template> {
    const isServerless = input.isServerless ?? false
    const template: Template = {
      id: newTemplateId(),
      userId,
      name: input.name,
      imageName: input.imageName,
      category: input.category ?? 'NVIDIA',
      containerDiskInGb: input.containerDiskInGb ?? POD_DEFAULTS.containerDiskInGb,
      // Serverless workers have no pod volume and no exposed ports.
      volumeInGb: input.volumeInGb ?? (isServerless ? 0 : POD_DEFAULTS.volumeInGb),
      volumeMountPath: input.volumeMountPath ?? POD_DEFAULTS.volumeMountPath,
      ports: input.ports ?? (isServerless ? [] : POD_DEFAULTS.ports),
      env: input.env ?? {},
      dockerEntrypoint: input.dockerEntrypoint ?? [],
      dockerStartCmd: input.dockerStartCmd ?? [],
      readme: input.readme ?? '',
      isPublic: input.isPublic ?? false,
      isRunpod: false,
      isServerless,
      containerRegistryAuthId: input.containerRegistryAuthId ?? null,
      startSsh: input.startSsh ?? true,
      startJupyter: input.startJupyter ?? true,
      allowedCudaVersions: input.allowedCudaVersions ?? [],
      earned: 0,
      runtimeInMin: 0,
      createdAt: this.o.clock.now(),
    }
    await this.validate(userId, template)
    await this.o.store.templates.insert(template).catch(nameClash(template.name))
    return template
  }

  async update(userId: string, id: string, input: TemplateInput): Promise<Template> {
    const current = await this.owned(userId, id)
    const isServerless = input.isServerless ?? current.isServerless
    const next: Template = {
      ...current,
      name: input.name ?? current.name,
      imageName: input.imageName ?? current.imageName,
      category: input.category ?? current.category,
      isServerless,
      containerDiskInGb: input.containerDiskInGb ?? current.containerDiskInGb,
      // A template turning serverless drops its pod volume, which workers cannot have.
      volumeInGb: input.volumeInGb ?? (isServerless && !current.isServerless ? 0 : current.volumeInGb),
      volumeMountPath: input.volumeMountPath ?? current.volumeMountPath,
      ports: input.ports ?? current.ports,
      env: input.env ?? current.env,
      dockerEntrypoint: input.dockerEntrypoint ?? current.dockerEntrypoint,
      dockerStartCmd: input.dockerStartCmd ?? current.dockerStartCmd,
      readme: input.readme ?? current.readme,
      isPublic: input.isPublic ?? current.isPublic,
      containerRegistryAuthId:
        input.containerRegistryAuthId === undefined
          ? current.containerRegistryAuthId
          : input.containerRegistryAuthId,
      startSsh: input.startSsh ?? current.startSsh,
      startJupyter: input.startJupyter ?? current.startJupyter,
      allowedCudaVersions: input.allowedCudaVersions ?? current.allowedCudaVersions,
    }
    if (current.isServerless && !isServerless) await this.assertNotBound(id, 'isServerless')
    await this.validate(userId, next)
    await this.o.store.templates.update(next).catch(nameClash(next.name))
    await this.o.onChanged(next)
    return next
  }

  async delete(userId: string, id: string): Promise<void> {
    await this.owned(userId, id)
    await this.assertNotBound(id)
    const pods = await this.o.store.templates.podsUsing(userId, id)
    if (pods.length > 0)
      throw badRequest(`template ${id} is in use by pod ${pods.join(', ')}; terminate it first`)
    await this.o.store.templates.delete(userId, id)
  }

  /** Endpoints run on their template, so it must stay a serverless template while they exist. */
  private async assertNotBound(id: string, field?: string): Promise<void> {
    const endpoints = await this.o.store.endpoints.usingTemplate(id)
    if (endpoints.length === 0) return
    const list = endpoints.map((e) => e.id).join(', ')
    throw badRequest(
      `${field ? `${field}: ` : ''}template ${id} is in use by endpoint ${list}; delete it first`,
    )
  }

  /** A template the user may change; official and other users' public templates are read-only. */
  private async owned(userId: string, id: string): Promise<Template> {
    const template = await this.o.store.templates.getUsable(userId, id)
    if (!template) throw templateNotFound()
    if (template.userId !== userId) throw new ApiError(403, `template ${id} is not yours to change`)
    return template
  }

  private async validate(userId: string, t: Template): Promise<void> {
    if (t.name.trim() === '') throw badRequest('name must not be empty')
    if (await this.o.store.templates.nameTaken(userId, t.name, t.id)) {
      throw nameTaken(t.name)
    }
    validatePorts('ports', t.ports)
    validateMountPath(t.volumeMountPath)
    if (t.isPublic && t.isServerless) throw badRequest('isPublic: serverless templates cannot be public')
    if (t.isServerless && t.volumeInGb !== 0)
      throw badRequest('volumeInGb: serverless templates have no pod volume; use 0')
    if (
      t.containerRegistryAuthId !== null &&
      !(await this.o.store.registryAuths.get(userId, t.containerRegistryAuthId))
    ) {
      throw badRequest(
        `containerRegistryAuthId: container registry auth ${t.containerRegistryAuthId} not found`,
      )
    }
  }
}
