import Type from 'typebox'
import { StringEnum } from '../../schema-helpers.js'
import { ENV, ID, IMAGE, NAME, PORTS, STRINGS } from '../shared-schemas.js'

export const Template = Type.Object({
  category: Type.String(),
  containerDiskInGb: Type.Integer(),
  containerRegistryAuthId: Type.Optional(Type.String()),
  dockerEntrypoint: STRINGS,
  dockerStartCmd: STRINGS,
  earned: Type.Number(),
  env: ENV,
  id: Type.String(),
  imageName: Type.String(),
  isPublic: Type.Boolean(),
  isRunpod: Type.Boolean(),
  isServerless: Type.Boolean(),
  name: Type.String(),
  ports: PORTS,
  readme: Type.String(),
  runtimeInMin: Type.Integer(),
  volumeInGb: Type.Integer(),
  volumeMountPath: Type.String(),
})
export type Template = Type.Static<typeof Template>

const fields = {
  containerDiskInGb: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 50 })),
  containerRegistryAuthId: Type.Optional(ID),
  dockerEntrypoint: Type.Optional(STRINGS),
  dockerStartCmd: Type.Optional(STRINGS),
  env: Type.Optional(ENV),
  imageName: Type.Optional(IMAGE),
  isPublic: Type.Optional(Type.Boolean({ default: false })),
  name: Type.Optional(NAME),
  ports: Type.Optional(PORTS),
  readme: Type.Optional(Type.String({ maxLength: 100_000, default: '' })),
  volumeInGb: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, default: 20 })),
  volumeMountPath: Type.Optional(Type.String({ maxLength: 1024, default: '/workspace' })),
}

export const TemplateCreateInput = Type.Object({
  ...fields,
  category: Type.Optional(StringEnum(['NVIDIA', 'AMD', 'CPU'] as const, { default: 'NVIDIA' })),
  imageName: IMAGE,
  isServerless: Type.Optional(Type.Boolean({ default: false })),
  name: NAME,
})

export const TemplateUpdateInput = Type.Object(fields, {
  description:
    'Input for updating a Template which will trigger a rolling release for any associated endpoints.',
})

export const TemplateVisibilityQuery = Type.Object({
  includeEndpointBoundTemplates: Type.Optional(Type.Boolean({ default: false })),
  includePublicTemplates: Type.Optional(Type.Boolean({ default: false })),
  includeRunpodTemplates: Type.Optional(Type.Boolean({ default: false })),
})

export const TemplateIdParams = Type.Object({ templateId: ID })
