import Type from 'typebox'
import type { RegistryAuth } from '../../../domain/resources.js'
import type { App, AppContext } from '../../context.js'
import { IdParams, NAME, noContent, problems } from '../common.js'
import { delegationRoutes } from './delegations.js'

/** Only id and name leave the server: username and password are write-only. */
export const Registry = Type.Object({ id: Type.String(), name: Type.String() })

export const CreateRegistryBody = Type.Object(
  {
    name: NAME,
    username: Type.String({ minLength: 1, maxLength: 255, description: 'Write-only' }),
    password: Type.String({ minLength: 1, maxLength: 4096, description: 'Write-only' }),
  },
  { additionalProperties: false },
)

const TAGS = ['registries']
const view = (a: RegistryAuth) => ({ id: a.id, name: a.name })

/** Container registry credentials: the same records as v1's container registry auths. */
export function registryRoutes(v2: App, ctx: AppContext): void {
  v2.get(
    '/registries',
    {
      schema: {
        operationId: 'listRegistries',
        summary: 'List container registries',
        tags: TAGS,
        response: { 200: Type.Object({ registries: Type.Array(Registry) }), ...problems(401, 429) },
      },
    },
    async (request) => ({ registries: (await ctx.registryAuths.list(request.auth.userId)).map(view) }),
  )

  v2.post(
    '/registries',
    {
      schema: {
        operationId: 'createRegistry',
        summary: 'Create a container registry credential',
        description: 'Names are unique per user. The password is stored encrypted and never returned.',
        tags: TAGS,
        body: CreateRegistryBody,
        response: { 201: Registry, ...problems(400, 401, 422, 429) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(view(await ctx.registryAuths.create(request.auth.userId, request.body))),
  )

  v2.get(
    '/registries/:id',
    {
      schema: {
        operationId: 'getRegistry',
        summary: 'Get a container registry credential',
        tags: TAGS,
        params: IdParams,
        response: { 200: Registry, ...problems(401, 404, 422, 429) },
      },
    },
    async (request) => view(await ctx.registryAuths.get(request.auth.userId, request.params.id)),
  )

  v2.delete(
    '/registries/:id',
    {
      schema: {
        operationId: 'deleteRegistry',
        summary: 'Delete a container registry credential',
        description: 'Refused (400) while a pod pulls with it; templates using it lose the reference.',
        tags: TAGS,
        params: IdParams,
        response: { 204: { type: 'null', description: 'Deleted.' }, ...problems(400, 401, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      await ctx.registryAuths.delete(request.auth.userId, request.params.id)
      return noContent(reply)
    },
  )

  delegationRoutes(v2, ctx)
}
