import { type GpuStockQuery, gpuStock } from '../../../domain/availability.js'
import { notFound } from '../../../domain/errors.js'
import { poolOf } from '../../../domain/gpu-pools.js'
import type { GpuType as CatalogGpuType } from '../../../fleet/catalog.js'
import type { Stock } from '../../../scheduler/availability.js'
import type { MachineCapacity } from '../../../scheduler/types.js'
import type { App, AppContext } from '../../context.js'
import { splitCommaLists } from '../../v1/query-lists.js'
import { IdParams, problems } from '../common.js'
import { gpuStockQuery } from './availability-query.js'
import { GPU_LIST_PARAMS, GpuType, GpuTypesQuery, ListGpuTypesResponse } from './schemas.js'
import { cudaVersionsView, stockView } from './stock-view.js'

/** GET /v2/catalog/gpus and /v2/catalog/gpus/{id}: GPU types with prices and, on request, live stock. */
export function gpuTypeRoutes(v2: App, ctx: AppContext): void {
  v2.get(
    '/catalog/gpus',
    {
      preValidation: splitCommaLists(GPU_LIST_PARAMS),
      schema: {
        operationId: 'listGpuTypes',
        summary: 'List GPU types',
        description:
          'GPU types with prices. include=AVAILABILITY (with product) adds live stock; with countryCodes, only types offered in those countries are listed.',
        tags: ['catalog'],
        querystring: GpuTypesQuery,
        response: { 200: ListGpuTypesResponse, ...problems(400, 422) },
      },
    },
    async (request) => {
      const query = gpuStockQuery(request.query)
      const gpus: GpuType[] = []
      for (const type of ctx.catalog().gpuTypes.values()) {
        const { machines, stock } = await read(ctx, type.id, query)
        // Scoped to countries, a type offered in none of them is left out rather than shown as NONE.
        if (query?.countryCodes.length && stock?.byDataCenter.size === 0) continue
        gpus.push(gpuTypeView(ctx, type, machines, stock))
      }
      return { gpus }
    },
  )

  v2.get(
    '/catalog/gpus/:id',
    {
      preValidation: splitCommaLists(GPU_LIST_PARAMS),
      schema: {
        operationId: 'getGpuType',
        summary: 'Get a GPU type',
        description: 'One GPU type with prices. include=AVAILABILITY (with product) adds live stock.',
        tags: ['catalog'],
        params: IdParams,
        querystring: GpuTypesQuery,
        response: { 200: GpuType, ...problems(400, 404, 422) },
      },
    },
    async (request) => {
      const query = gpuStockQuery(request.query)
      const type = ctx.catalog().gpuTypes.get(request.params.id)
      if (!type) throw notFound('GPU type')
      const { machines, stock } = await read(ctx, type.id, query)
      return gpuTypeView(ctx, type, machines, stock)
    },
  )
}

async function read(ctx: AppContext, gpuTypeId: string, query: GpuStockQuery | undefined) {
  const machines = await ctx.store.fleet.machines({ gpuTypeIds: [gpuTypeId] })
  const stock = query && gpuStock(ctx.catalog(), machines, gpuTypeId, query, ctx.clock.now())
  return { machines, stock }
}

function manufacturerOf(type: CatalogGpuType) {
  const name = type.manufacturer.toUpperCase()
  return name === 'NVIDIA' || name === 'AMD' ? name : 'UNKNOWN'
}

/**
 * A GPU type as v2 shows it. `maxCount` is the largest machine of the type in each cloud, and a
 * cloud offers the type when it has one. No serverless price: a worker is billed as a pod on
 * the machine it lands on, at that cloud's price.
 */
function gpuTypeView(
  ctx: AppContext,
  type: CatalogGpuType,
  machines: readonly MachineCapacity[],
  stock: Stock | undefined,
): GpuType {
  const largest = (secure: boolean) =>
    machines.reduce((max, m) => (m.secureCloud === secure ? Math.max(max, m.gpuCount) : max), 0)
  const maxCount = { secure: largest(true), community: largest(false) }
  return {
    id: type.id,
    name: type.displayName,
    pool: poolOf(type.id),
    manufacturer: manufacturerOf(type),
    memory: type.memoryInGb,
    secure: maxCount.secure > 0,
    community: maxCount.community > 0,
    price: { secure: type.securePrice, community: type.communityPrice },
    maxCount,
    ...(stock && { ...stockView(stock, ctx.catalog()), cudaVersions: cudaVersionsView(stock) }),
  }
}
