import Type from 'typebox'
import { billingRange } from '../../domain/billing.js'
import type { App, AppContext } from '../context.js'
import { ErrorBody } from '../schema-helpers.js'
import * as S from './schemas.js'
import { userView } from './views.js'

const tags = ['admin: users']

export function userRoutes(app: App, ctx: AppContext) {
  app.get(
    '/users',
    { schema: { summary: 'List users with what they run', tags, response: { 200: Type.Array(S.User) } } },
    async () => (await ctx.users.list()).map(userView),
  )

  for (const [path, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(
      `/users/:userId/${path}`,
      {
        schema: {
          summary: disabled ? 'Disable a user: their keys stop working at once' : 'Enable a user again',
          tags,
          params: S.UserIdParams,
          response: { 200: S.User, 404: ErrorBody },
        },
      },
      async (request) => userView(await ctx.users.setDisabled(request.params.userId, disabled)),
    )
  }

  app.put(
    '/users/:userId/rate-limits',
    {
      schema: {
        summary: "Set a user's v2 request quotas per window (null: back to the server's default)",
        tags,
        params: S.UserIdParams,
        body: S.RateLimitsUpdate,
        response: { 200: S.User, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => userView(await ctx.users.setRateLimits(request.params.userId, request.body)),
  )

  app.get(
    '/users/:userId/usage',
    {
      schema: {
        summary: 'What a user runs now and spent in a range (default: the last 30 days)',
        tags,
        params: S.UserIdParams,
        querystring: Type.Object({
          startTime: Type.Optional(Type.String({ format: 'date-time' })),
          endTime: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: { 200: S.UserUsage, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => {
      const usage = await ctx.users.usage(request.params.userId, billingRange(request.query, ctx.clock.now()))
      return {
        ...userView(usage),
        startTime: new Date(usage.from).toISOString(),
        endTime: new Date(usage.to).toISOString(),
        spend: usage.spend,
      }
    },
  )
}
