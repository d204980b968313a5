import Type from 'typebox'
import type { App, AppContext } from '../context.js'
import { ErrorBody } from '../schema-helpers.js'
import * as S from './schemas.js'
import { dataCenterView, gpuTypeView } from './views.js'

const tags = ['admin: catalog']

export function catalogRoutes(app: App, ctx: AppContext) {
  app.get(
    '/gputypes',
    { schema: { summary: 'List GPU types and prices', tags, response: { 200: Type.Array(S.GpuType) } } },
    async () => [...ctx.catalog().gpuTypes.values()].map(gpuTypeView),
  )
  app.post(
    '/gputypes',
    {
      schema: {
        summary: 'Add a GPU type (spot and savings prices derive from on-demand unless given)',
        tags,
        body: S.GpuTypeCreate,
        response: { 201: S.GpuType, 400: ErrorBody },
      },
    },
    async (request, reply) => reply.code(201).send(gpuTypeView(await ctx.fleet.addGpuType(request.body))),
  )
  app.patch(
    '/gputypes/:gpuTypeId',
    {
      schema: {
        summary: 'Re-price a GPU type for new rentals',
        tags,
        params: Type.Object({ gpuTypeId: Type.String({ maxLength: 191 }) }),
        body: S.GpuTypeUpdate,
        response: { 200: S.GpuType, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) => gpuTypeView(await ctx.fleet.updateGpuType(request.params.gpuTypeId, request.body)),
  )

  app.get(
    '/datacenters',
    { schema: { summary: 'List data centers', tags, response: { 200: Type.Array(S.DataCenter) } } },
    async () => [...ctx.catalog().dataCenters.values()].map(dataCenterView),
  )
  app.post(
    '/datacenters',
    {
      schema: {
        summary: 'Add a data center',
        tags,
        body: S.DataCenterCreate,
        response: { 201: S.DataCenter, 400: ErrorBody },
      },
    },
    async (request, reply) =>
      reply.code(201).send(dataCenterView(await ctx.fleet.addDataCenter(request.body))),
  )
  app.patch(
    '/datacenters/:dataCenterId',
    {
      schema: {
        summary: 'Update a data center',
        tags,
        params: Type.Object({ dataCenterId: Type.String({ maxLength: 32 }) }),
        body: S.DataCenterUpdate,
        response: { 200: S.DataCenter, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) =>
      dataCenterView(await ctx.fleet.updateDataCenter(request.params.dataCenterId, request.body)),
  )
}
