import Type from 'typebox'
import type { App, AppContext } from '../context.js'
import { ErrorBody, Nullable } from '../schema-helpers.js'

const tags = ['admin: agents']

/** A day, as Kubernetes' bootstrap tokens: long enough to set a host up, short enough to forget. */
export const DEFAULT_JOIN_TOKEN_TTL_S = 86_400

const JoinToken = Type.Object({
  id: Type.String(),
  dataCenterId: Type.String(),
  secureCloud: Type.Boolean(),
  note: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  expiresAt: Nullable(Type.String({ format: 'date-time' })),
  revokedAt: Nullable(Type.String({ format: 'date-time' })),
})

const JoinTokenInput = Type.Object(
  {
    dataCenterId: Type.String({ minLength: 1, maxLength: 191 }),
    /** Null: the token never expires. */
    expiresInSeconds: Type.Optional(
      Nullable(Type.Integer({ minimum: 1, maximum: 31_536_000, default: DEFAULT_JOIN_TOKEN_TTL_S })),
    ),
    secureCloud: Type.Optional(Type.Boolean({ default: true })),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
)

/** Join tokens: what `podplane agent --token` needs to add a host to the fleet. */
export function joinTokenRoutes(app: App, ctx: AppContext) {
  app.post(
    '/join-tokens',
    {
      schema: {
        summary: 'Create a join token for hosts of a data center (the token is shown only here)',
        tags,
        body: JoinTokenInput,
        response: { 201: Type.Object({ token: Type.String(), joinToken: JoinToken }), 400: ErrorBody },
      },
    },
    async (request, reply) => {
      const { dataCenterId, expiresInSeconds, secureCloud, note } = request.body
      const created = await ctx.agents.createJoinToken({
        dataCenterId,
        expiresInMs: expiresInSeconds === null ? null : (expiresInSeconds ?? DEFAULT_JOIN_TOKEN_TTL_S) * 1000,
        secureCloud,
        note,
      })
      return reply.code(201).send(created)
    },
  )

  app.get(
    '/join-tokens',
    {
      schema: {
        summary: 'List join tokens (never the tokens themselves)',
        tags,
        response: { 200: Type.Array(JoinToken) },
      },
    },
    async () => ctx.agents.listJoinTokens(),
  )

  app.delete(
    '/join-tokens/:tokenId',
    {
      schema: {
        summary: 'Revoke a join token (machines that joined with it stay)',
        tags,
        params: Type.Object({ tokenId: Type.String({ minLength: 1, maxLength: 191 }) }),
        response: { 204: Type.Null(), 404: ErrorBody },
      },
    },
    async (request, reply) => {
      await ctx.agents.revokeJoinToken(request.params.tokenId)
      return reply.code(204).send(null)
    },
  )
}
