import type { FastifyRequest } from 'fastify'
import Type from 'typebox'
import type { App, AppContext } from '../context.js'
import { ErrorBody } from '../schema-helpers.js'
import { splitCommaLists } from '../v1/query-lists.js'
import * as S from './schemas.js'
import { adminMachineView } from './views.js'

const tags = ['admin: machines']

/** The reason body of drain and fail is optional: no body means no reason. */
async function bodyDefaultsToEmpty(request: FastifyRequest) {
  if (request.body === undefined || request.body === null) request.body = {}
}
const Outcome = Type.Object({
  machine: S.AdminMachine,
  stopped: Type.Array(Type.String()),
  moved: Type.Optional(Type.Array(Type.String())),
})

export function machineRoutes(app: App, ctx: AppContext) {
  const view = (m: Parameters<typeof adminMachineView>[0]) =>
    adminMachineView(m, ctx.catalog(), ctx.clock.now())
  const machineAction = (path: string, summary: string, run: (id: string) => Promise<unknown>) =>
    app.post(
      `/machines/:machineId/${path}`,
      {
        schema: {
          summary,
          tags,
          params: S.MachineIdParams,
          response: { 200: S.AdminMachine, 404: ErrorBody },
        },
      },
      async (request) => {
        await run(request.params.machineId)
        return view(await ctx.fleet.getMachine(request.params.machineId))
      },
    )

  app.get(
    '/machines',
    {
      schema: {
        summary: 'List machines with their allocation',
        tags,
        querystring: S.MachineListQuery,
        response: { 200: Type.Array(S.AdminMachine), 400: ErrorBody },
      },
      preValidation: splitCommaLists(['dataCenterId', 'gpuTypeId']),
    },
    async (request) => {
      const q = request.query
      const machines = (
        await ctx.fleet.listMachines({
          dataCenterIds: q.dataCenterId,
          gpuTypeIds: q.gpuTypeId,
          driver: q.driver,
        })
      ).map(view)
      return q.state === undefined ? machines : machines.filter((m) => m.state === q.state)
    },
  )

  app.get(
    '/machines/:machineId',
    {
      schema: {
        summary: 'Get a machine',
        tags,
        params: S.MachineIdParams,
        response: { 200: S.AdminMachine, 404: ErrorBody },
      },
    },
    async (request) => view(await ctx.fleet.getMachine(request.params.machineId)),
  )

  app.post(
    '/machines',
    {
      schema: {
        summary: 'Add a machine',
        tags,
        body: S.MachineCreate,
        response: { 201: S.AdminMachine, 400: ErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(view(await ctx.fleet.addMachine(request.body))),
  )

  app.patch(
    '/machines/:machineId',
    {
      schema: {
        summary: 'Update price, note or maintenance window',
        description:
          'A maintenance window that is open stops the pods on the machine and keeps new ones off it.',
        tags,
        params: S.MachineIdParams,
        body: S.MachineUpdate,
        response: { 200: S.AdminMachine, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => view(await ctx.fleet.updateMachine(request.params.machineId, request.body)),
  )

  machineAction('cordon', 'Cordon: no new pods; running pods stay', (id) => ctx.fleet.setCordoned(id, true))
  machineAction('uncordon', 'Uncordon: take new pods again', (id) => ctx.fleet.setCordoned(id, false))
  machineAction('recover', 'Bring a failed machine back', (id) => ctx.fleet.recover(id))

  app.post(
    '/machines/:machineId/drain',
    {
      schema: {
        summary: 'Cordon and clear a machine',
        description: 'Stops each running pod (or moves it with move=true), with the reason in its status.',
        tags,
        params: S.MachineIdParams,
        body: S.Reason,
        response: { 200: Outcome, 404: ErrorBody },
      },
      preValidation: bodyDefaultsToEmpty,
    },
    async (request) => {
      const outcome = await ctx.fleet.drain(request.params.machineId, request.body)
      return { ...outcome, machine: view(outcome.machine) }
    },
  )

  app.post(
    '/machines/:machineId/fail',
    {
      schema: {
        summary: 'Take a machine down (fault injection)',
        description: 'Its pods exit with the reason in their status; it takes no pods until recovered.',
        tags,
        params: S.MachineIdParams,
        body: S.Reason,
        response: { 200: Outcome, 404: ErrorBody },
      },
      preValidation: bodyDefaultsToEmpty,
    },
    async (request) => {
      const outcome = await ctx.fleet.fail(request.params.machineId, request.body.reason)
      return { ...outcome, machine: view(outcome.machine) }
    },
  )

  app.delete(
    '/machines/:machineId',
    {
      schema: {
        summary: 'Remove a machine (refused while pods are placed on it)',
        tags,
        params: S.MachineIdParams,
        response: { 204: Type.Null(), 404: ErrorBody, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      await ctx.fleet.removeMachine(request.params.machineId)
      return reply.code(204).send(null)
    },
  )
}
