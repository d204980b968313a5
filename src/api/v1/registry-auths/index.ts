import Type from 'typebox'
import type { RegistryAuth } from '../../../domain/resources.js'
import type { App, AppContext } from '../../context.js'
import { ErrorBody } from '../../schema-helpers.js'
import { ID, NAME } from '../shared-schemas.js'

/** Only id and name ever leave the server: username and password stay inside. */
export const ContainerRegistryAuth = Type.Object({ id: Type.String(), name: Type.String() })

const Params = Type.Object({ containerRegistryAuthId: ID })

export const ContainerRegistryAuthCreateInput = Type.Object({
  name: NAME,
  username: Type.String({ minLength: 1, maxLength: 255 }),
  password: Type.String({ minLength: 1, maxLength: 4096 }),
})
const tags = ['container registry auths']
const view = (a: RegistryAuth) => ({ id: a.id, name: a.name })

export function registryAuthRoutes(app: App, ctx: AppContext) {
  app.get(
    '/containerregistryauth',
    {
      schema: {
        operationId: 'ListContainerRegistryAuths',
        summary: 'List container registry auths',
        tags,
        response: { 200: Type.Array(ContainerRegistryAuth) },
      },
    },
    async (request) => (await ctx.registryAuths.list(request.auth.userId)).map(view),
  )

  app.get(
    '/containerregistryauth/:containerRegistryAuthId',
    {
      schema: {
        operationId: 'GetContainerRegistryAuth',
        summary: 'Find a container registry auth by ID',
        tags,
        params: Params,
        response: { 200: ContainerRegistryAuth, 404: ErrorBody },
      },
    },
    async (request) =>
      view(await ctx.registryAuths.get(request.auth.userId, request.params.containerRegistryAuthId)),
  )

  app.post(
    '/containerregistryauth',
    {
      schema: {
        operationId: 'CreateContainerRegistryAuth',
        summary: 'Create a container registry auth',
        tags,
        body: ContainerRegistryAuthCreateInput,
        response: { 200: ContainerRegistryAuth, 400: ErrorBody },
      },
    },
    async (request) => view(await ctx.registryAuths.create(request.auth.userId, request.body)),
  )

  app.delete(
    '/containerregistryauth/:containerRegistryAuthId',
    {
      schema: {
        operationId: 'DeleteContainerRegistryAuth',
        summary: 'Delete a container registry auth',
        tags,
        params: Params,
        response: { 204: Type.Null(), 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      await ctx.registryAuths.delete(request.auth.userId, request.params.containerRegistryAuthId)
      return reply.code(204).send(null)
    },
  )
}
