import Type from 'typebox'
import { ManualClock, ScaledClock } from '../../clock.js'
import { ApiError } from '../../domain/errors.js'
import type { App, AppContext } from '../context.js'
import { ErrorBody } from '../schema-helpers.js'
import * as S from './schemas.js'

const tags = ['admin: simulator']

export function simulatorRoutes(app: App, ctx: AppContext) {
  const clockView = () => {
    const clock = ctx.clock
    const mode = clock instanceof ManualClock ? 'manual' : clock instanceof ScaledClock ? 'scaled' : 'real'
    const speed = clock instanceof ScaledClock ? clock.speed : mode === 'manual' ? 0 : 1
    return { now: new Date(clock.now()).toISOString(), mode, speed } as const
  }

  app.get(
    '/clock',
    { schema: { summary: 'The simulated clock', tags, response: { 200: S.Clock } } },
    async () => clockView(),
  )

  app.post(
    '/clock/advance',
    {
      schema: {
        summary: 'Move a manual clock forward (PODPLANE_SIM_SPEED=0), then run the simulator once',
        tags,
        body: Type.Object(
          { ms: Type.Integer({ minimum: 0, maximum: 365 * 86_400_000 }) },
          { additionalProperties: false },
        ),
        response: { 200: S.Clock, 409: ErrorBody },
      },
    },
    async (request) => {
      if (!(ctx.clock instanceof ManualClock)) {
        throw new ApiError(
          409,
          'the clock is not manual; start podplane with PODPLANE_SIM_SPEED=0 to move time by hand',
        )
      }
      ctx.clock.advance(request.body.ms)
      await ctx.tick()
      return clockView()
    },
  )

  app.post(
    '/simulator/tick',
    {
      schema: {
        summary: 'Run the simulator once now (maintenance windows, endpoint workers)',
        tags,
        response: { 200: S.Clock },
      },
    },
    async () => {
      await ctx.tick()
      return clockView()
    },
  )
}
