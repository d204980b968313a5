import Type from 'typebox'
import { CATALOG_SOURCES } from '../../../domain/templates.js'
import { Enum, NAME, OrNull, StringMap } from '../common.js'

/**
 * v2 template schemas after RunPod's REST v2 spec: `Template`, `CreateTemplateRequest`,
 * `UpdateTemplateRequest`, `ListTemplatesResponse`. Request objects are closed, so an unknown
 * field is a 422 naming it.
 */

export const TEMPLATE_CATEGORIES = ['CPU', 'NVIDIA', 'AMD'] as const

const CATEGORY = Enum(TEMPLATE_CATEGORIES)
const IMAGE = Type.String({ minLength: 1, maxLength: 1024, description: 'Docker image reference' })
const ARGS = Type.String({ maxLength: 32_768, description: 'Arguments passed to the container entrypoint' })
const DISK = Type.Integer({ minimum: 1, maximum: 10_000, description: 'Container disk in GB' })
const PORTS = Type.Array(Type.String({ maxLength: 16 }), {
  maxItems: 64,
  description: 'Exposed ports, formatted as port/protocol',
})
const REGISTRY = OrNull(
  Type.String({ maxLength: 191, description: 'Container registry credential ID (for private images)' }),
)
const CUDA_VERSIONS = Type.Array(Type.String({ pattern: '^\\d+\\.\\d+$' }), {
  maxItems: 64,
  description: 'Acceptable CUDA versions as `major.minor`; empty means any.',
})

const PersistentMount = Type.Object(
  {
    size: Type.Integer({ minimum: 10, maximum: 10_000, description: 'Host-local persistent storage in GB' }),
    path: Type.String({ minLength: 1, maxLength: 1024, description: 'Mount path inside the container' }),
  },
  { additionalProperties: false },
)

export const TemplateMounts = Type.Object(
  { persistent: Type.Optional(PersistentMount) },
  {
    additionalProperties: false,
    description: 'Storage mounts; templates support one persistent mount. `{}` on PATCH leaves it unchanged.',
  },
)

export const Template = Type.Object({
  id: Type.String(),
  name: Type.String(),
  image: Type.String(),
  args: Type.String(),
  disk: Type.Integer(),
  mounts: TemplateMounts,
  ports: Type.Array(Type.String()),
  env: StringMap,
  registry: OrNull(Type.String()),
  serverless: Type.Boolean(),
  public: Type.Boolean(),
  category: CATEGORY,
  startSsh: Type.Boolean(),
  startJupyter: Type.Boolean(),
  allowedCudaVersions: Type.Array(Type.String()),
})
export type Template = Type.Static<typeof Template>

/** Fields a create and a PATCH share; all optional here. */
const fields = {
  image: Type.Optional(IMAGE),
  args: Type.Optional(ARGS),
  disk: Type.Optional(DISK),
  env: Type.Optional(StringMap),
  ports: Type.Optional(PORTS),
  registry: Type.Optional(REGISTRY),
  mounts: Type.Optional(TemplateMounts),
  allowedCudaVersions: Type.Optional(CUDA_VERSIONS),
  category: Type.Optional(CATEGORY),
  public: Type.Optional(Type.Boolean()),
  serverless: Type.Optional(Type.Boolean()),
  startSsh: Type.Optional(Type.Boolean({ description: 'Inject the account SSH keys as `PUBLIC_KEY`' })),
  startJupyter: Type.Optional(Type.Boolean({ description: 'Inject a generated `JUPYTER_PASSWORD`' })),
}

export const CreateTemplateBody = Type.Object(
  { ...fields, name: NAME, image: IMAGE },
  { additionalProperties: false },
)
export type CreateTemplateBody = Type.Static<typeof CreateTemplateBody>

export const UpdateTemplateBody = Type.Object(
  { ...fields, name: Type.Optional(NAME) },
  { additionalProperties: false },
)
export type UpdateTemplateBody = Type.Static<typeof UpdateTemplateBody>

export const ListTemplatesResponse = Type.Object({ templates: Type.Array(Template) })

export const CatalogTemplatesQuery = Type.Object({
  source: Type.Optional(
    Enum(CATALOG_SOURCES, {
      default: 'official',
      description: 'official (curated), verified (reviewed community) or community (shared by users)',
    }),
  ),
})
