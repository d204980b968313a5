import Type from 'typebox'
import { dockerRegistryUri } from '../../../domain/ecr-delegations.js'
import type { EcrDelegation as DomainDelegation } from '../../../domain/resources.js'
import type { App, AppContext } from '../../context.js'
import { IdParams, iso, NAME, noContent, OrNull, problems } from '../common.js'

export const EcrDelegation = Type.Object({
  id: Type.String(),
  name: OrNull(Type.String()),
  delegatorUserId: Type.String({ description: 'The user who created the delegation' }),
  awsUser: Type.String({ description: 'AWS account that owns the repository' }),
  repository: Type.String(),
  tag: Type.String(),
  awsRegion: Type.String(),
  dockerRegistryUri: Type.String({ description: 'Registry host for `docker login`' }),
  createdAt: Type.String({ format: 'date-time' }),
})

export const CreateDelegationBody = Type.Object(
  {
    resource: Type.String({
      minLength: 1,
      maxLength: 2048,
      description: 'ECR repository ARN, optionally ending in `:<tag>` (default `latest`)',
    }),
    name: Type.Optional(OrNull(NAME)),
  },
  { additionalProperties: false },
)

const TAGS = ['registries']

const view = (d: DomainDelegation) => ({
  id: d.id,
  name: d.name,
  delegatorUserId: d.userId,
  awsUser: d.awsAccount,
  repository: d.repository,
  tag: d.tag,
  awsRegion: d.awsRegion,
  dockerRegistryUri: dockerRegistryUri(d),
  createdAt: iso(d.createdAt),
})

/** ECR delegations: the user's Amazon ECR repositories podplane may pull from. */
export function delegationRoutes(v2: App, ctx: AppContext): void {
  v2.get(
    '/registries/delegations',
    {
      schema: {
        operationId: 'listDelegations',
        summary: 'List all ECR delegations',
        tags: TAGS,
        response: { 200: Type.Object({ delegations: Type.Array(EcrDelegation) }), ...problems(401, 429) },
      },
    },
    async (request) => ({ delegations: (await ctx.ecrDelegations.list(request.auth.userId)).map(view) }),
  )

  v2.post(
    '/registries/delegations',
    {
      schema: {
        operationId: 'createDelegation',
        summary: 'Register an ECR delegation',
        description: 'Refused (400) for a malformed ARN or a repository already delegated.',
        tags: TAGS,
        body: CreateDelegationBody,
        response: { 201: EcrDelegation, ...problems(400, 401, 422, 429) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(view(await ctx.ecrDelegations.create(request.auth.userId, request.body))),
  )

  v2.delete(
    '/registries/delegations/:id',
    {
      schema: {
        operationId: 'revokeDelegation',
        summary: 'Revoke an ECR delegation',
        tags: TAGS,
        params: IdParams,
        response: { 204: { type: 'null', description: 'Revoked.' }, ...problems(401, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      await ctx.ecrDelegations.revoke(request.auth.userId, request.params.id)
      return noContent(reply)
    },
  )
}
