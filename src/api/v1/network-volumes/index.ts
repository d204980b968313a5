import Type from 'typebox'
import type { NetworkVolume as Volume } from '../../../domain/resources.js'
import type { App, AppContext } from '../../context.js'
import { ErrorBody } from '../../schema-helpers.js'
import { ID, NAME } from '../shared-schemas.js'

export const NetworkVolume = Type.Object({
  dataCenterId: Type.String({ description: 'The data center where the network volume is located.' }),
  id: Type.String(),
  name: Type.String(),
  size: Type.Integer({ description: 'Disk space allocated to the network volume, in GB.' }),
})

const SIZE = Type.Integer({ minimum: 0, maximum: 4000, description: 'Disk space in GB.' })
const Params = Type.Object({ networkVolumeId: ID })

export const NetworkVolumeCreateInput = Type.Object({ dataCenterId: ID, name: NAME, size: SIZE })
export const NetworkVolumeUpdateInput = Type.Object({ name: Type.Optional(NAME), size: Type.Optional(SIZE) })
const tags = ['network volumes']

const view = (v: Volume) => ({ dataCenterId: v.dataCenterId, id: v.id, name: v.name, size: v.size })

export function networkVolumeRoutes(app: App, ctx: AppContext) {
  app.get(
    '/networkvolumes',
    {
      schema: {
        operationId: 'ListNetworkVolumes',
        summary: 'List network volumes',
        tags,
        response: { 200: Type.Array(NetworkVolume) },
      },
    },
    async (request) => (await ctx.networkVolumes.list(request.auth.userId)).map(view),
  )

  app.get(
    '/networkvolumes/:networkVolumeId',
    {
      schema: {
        operationId: 'GetNetworkVolume',
        summary: 'Find a network volume by ID',
        tags,
        params: Params,
        response: { 200: NetworkVolume, 404: ErrorBody },
      },
    },
    async (request) =>
      view(await ctx.networkVolumes.get(request.auth.userId, request.params.networkVolumeId)),
  )

  app.post(
    '/networkvolumes',
    {
      schema: {
        operationId: 'CreateNetworkVolume',
        summary: 'Create a network volume',
        tags,
        body: NetworkVolumeCreateInput,
        response: { 200: NetworkVolume, 400: ErrorBody },
      },
    },
    async (request) => view(await ctx.networkVolumes.create(request.auth.userId, request.body)),
  )

  for (const [method, url] of [
    ['PATCH', '/networkvolumes/:networkVolumeId'],
    ['POST', '/networkvolumes/:networkVolumeId/update'],
  ] as const) {
    app.route({
      method,
      url,
      schema: {
        operationId: 'UpdateNetworkVolume',
        summary: 'Update a network volume',
        description: 'Rename a network volume or grow it; it never shrinks.',
        tags,
        params: Params,
        body: NetworkVolumeUpdateInput,
        response: { 200: NetworkVolume, 400: ErrorBody, 404: ErrorBody },
      },
      handler: async (request) =>
        view(
          await ctx.networkVolumes.update(request.auth.userId, request.params.networkVolumeId, request.body),
        ),
    })
  }

  app.delete(
    '/networkvolumes/:networkVolumeId',
    {
      schema: {
        operationId: 'DeleteNetworkVolume',
        summary: 'Delete a network volume',
        tags,
        params: Params,
        response: { 204: Type.Null(), 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      await ctx.networkVolumes.delete(request.auth.userId, request.params.networkVolumeId)
      return reply.code(204).send(null)
    },
  )
}
