import Type from 'typebox'
import type { NetworkVolume as DomainVolume } from '../../../domain/resources.js'
import { VOLUME_TYPES } from '../../../domain/resources.js'
import type { App, AppContext } from '../../context.js'
import { Enum, IdParams, NAME, noContent, problems } from '../common.js'
import { inV2Terms } from '../field-names.js'

const VOLUME_TYPE = Enum(VOLUME_TYPES, { description: 'Storage tier; set at creation and immutable.' })
const SIZE = Type.Integer({ minimum: 10, maximum: 4096, description: 'Storage in GB; it can only grow.' })

export const NetworkVolume = Type.Object({
  id: Type.String(),
  name: Type.String(),
  size: Type.Integer(),
  dataCenter: Type.String({ description: 'Data center; immutable after creation' }),
  type: VOLUME_TYPE,
})

export const CreateNetworkVolumeBody = Type.Object(
  {
    name: NAME,
    size: SIZE,
    dataCenter: Type.String({ minLength: 1, maxLength: 191 }),
    type: Type.Optional(VOLUME_TYPE),
  },
  { additionalProperties: false },
)

export const UpdateNetworkVolumeBody = Type.Object(
  { name: Type.Optional(NAME), size: Type.Optional(SIZE) },
  { additionalProperties: false, minProperties: 1 },
)

const TAGS = ['network volumes']
const renameFields = inV2Terms({ dataCenterId: 'dataCenter' })

const view = (v: DomainVolume) => ({
  id: v.id,
  name: v.name,
  size: v.size,
  dataCenter: v.dataCenterId,
  type: v.type,
})

export function networkVolumeRoutes(v2: App, ctx: AppContext): void {
  v2.get(
    '/network-volumes',
    {
      schema: {
        operationId: 'listNetworkVolumes',
        summary: 'List network volumes',
        tags: TAGS,
        response: {
          200: Type.Object({ networkVolumes: Type.Array(NetworkVolume) }),
          ...problems(401, 429),
        },
      },
    },
    async (request) => ({ networkVolumes: (await ctx.networkVolumes.list(request.auth.userId)).map(view) }),
  )

  v2.post(
    '/network-volumes',
    {
      schema: {
        operationId: 'createNetworkVolume',
        summary: 'Create a network volume',
        description: 'Billed by size until deleted. Without `type`, the data center’s primary tier.',
        tags: TAGS,
        body: CreateNetworkVolumeBody,
        response: { 201: NetworkVolume, ...problems(400, 401, 422, 429) },
      },
    },
    async (request, reply) => {
      const { dataCenter, ...rest } = request.body
      const volume = await ctx.networkVolumes
        .create(request.auth.userId, { ...rest, dataCenterId: dataCenter })
        .catch(renameFields)
      return reply.code(201).send(view(volume))
    },
  )

  v2.get(
    '/network-volumes/:id',
    {
      schema: {
        operationId: 'getNetworkVolume',
        summary: 'Get a network volume',
        tags: TAGS,
        params: IdParams,
        response: { 200: NetworkVolume, ...problems(401, 404, 422, 429) },
      },
    },
    async (request) => view(await ctx.networkVolumes.get(request.auth.userId, request.params.id)),
  )

  v2.patch(
    '/network-volumes/:id',
    {
      schema: {
        operationId: 'updateNetworkVolume',
        summary: 'Update a network volume',
        description: 'Renames or grows a volume; a smaller `size` is refused (400).',
        tags: TAGS,
        params: IdParams,
        body: UpdateNetworkVolumeBody,
        response: { 200: NetworkVolume, ...problems(400, 401, 404, 422, 429) },
      },
    },
    async (request) =>
      view(await ctx.networkVolumes.update(request.auth.userId, request.params.id, request.body)),
  )

  v2.delete(
    '/network-volumes/:id',
    {
      schema: {
        operationId: 'deleteNetworkVolume',
        summary: 'Delete a network volume',
        description: 'Refused (400) while a pod or endpoint uses it.',
        tags: TAGS,
        params: IdParams,
        response: { 204: { type: 'null', description: 'Deleted.' }, ...problems(400, 401, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      await ctx.networkVolumes.delete(request.auth.userId, request.params.id)
      return noContent(reply)
    },
  )
}
