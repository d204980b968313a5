import Type from 'typebox'
import type { SavingsPlan as Plan } from '../../../domain/resources.js'
import { SAVINGS_TERMS, type SavingsTerm } from '../../../domain/savings-plans.js'
import type { App, AppContext } from '../../context.js'
import { ErrorBody, StringEnum } from '../../schema-helpers.js'
import { PodIdParams, SavingsPlan } from './schemas.js'

const TERMS = Object.keys(SAVINGS_TERMS) as SavingsTerm[]

export const savingsPlanView = (p: Plan) => ({
  costPerHr: p.costPerHr,
  endTime: new Date(p.endTime).toISOString(),
  gpuTypeId: p.gpuTypeId,
  id: p.id,
  podId: p.podId,
  startTime: new Date(p.startTime).toISOString(),
})

/** A podplane extension: RunPod's v1 spec shows savings plans but offers no route to buy one. */
export function savingsPlanRoutes(app: App, ctx: AppContext) {
  const config = { 'x-podplane': true }
  app.get(
    '/pods/:podId/savingsplans',
    {
      schema: {
        operationId: 'ListPodSavingsPlans',
        summary: 'List the savings plans of a Pod (podplane extension)',
        tags: ['pods'],
        params: PodIdParams,
        response: { 200: Type.Array(SavingsPlan), 404: ErrorBody },
        ...config,
      },
    },
    async (request) =>
      (await ctx.savingsPlans.list(request.auth.userId, request.params.podId)).map(savingsPlanView),
  )

  app.post(
    '/pods/:podId/savingsplans',
    {
      schema: {
        operationId: 'CreatePodSavingsPlan',
        summary: 'Buy a savings plan for a Pod (podplane extension)',
        description:
          'Locks the GPU type’s term price for an on-demand Secure Cloud Pod from startTime (default now) to the end of the term.',
        tags: ['pods'],
        params: PodIdParams,
        body: Type.Object({
          term: StringEnum(TERMS),
          gpuTypeId: Type.Optional(Type.String({ maxLength: 191 })),
          startTime: Type.Optional(Type.String({ format: 'date-time' })),
        }),
        response: { 201: SavingsPlan, 400: ErrorBody, 404: ErrorBody },
        ...config,
      },
    },
    async (request, reply) => {
      const plan = await ctx.savingsPlans.create(request.auth.userId, request.params.podId, request.body)
      return reply.code(201).send(savingsPlanView(plan))
    },
  )
}
