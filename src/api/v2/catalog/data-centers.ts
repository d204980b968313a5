import { cpuStock, gpuStock } from '../../../domain/availability.js'
import { OFFERED_VOLUME_TYPES, regionOf } from '../../../domain/data-centers.js'
import { notFound } from '../../../domain/errors.js'
import type { DataCenter as CatalogDataCenter } from '../../../fleet/catalog.js'
import { availabilityLevel, type Stock } from '../../../scheduler/availability.js'
import type { App, AppContext } from '../../context.js'
import { splitCommaLists } from '../../v1/query-lists.js'
import { IdParams, problems } from '../common.js'
import {
  DATA_CENTER_LIST_PARAMS,
  DataCenter,
  DataCenterQuery,
  DataCentersQuery,
  ListDataCentersResponse,
} from './schemas.js'

type Include = 'GPU_AVAILABILITY' | 'CPU_AVAILABILITY'

/** GET /v2/catalog/datacenters and /v2/catalog/datacenters/{id}: where pods run, with live stock on request. */
export function dataCenterRoutes(v2: App, ctx: AppContext): void {
  v2.get(
    '/catalog/datacenters',
    {
      preValidation: splitCommaLists(DATA_CENTER_LIST_PARAMS),
      schema: {
        operationId: 'listDataCenters',
        summary: 'List data centers',
        description:
          'Data centers with region, compliance, network volume tiers and global networking, filtered by regions (any), networkVolumeTypes (all), compliance (all) and globalNetwork. include=GPU_AVAILABILITY or CPU_AVAILABILITY adds live stock.',
        tags: ['catalog'],
        querystring: DataCentersQuery,
        response: { 200: ListDataCentersResponse, ...problems(422) },
      },
    },
    async (request) => {
      const q = request.query
      const matching = [...ctx.catalog().dataCenters.values()]
        .map(facts)
        .filter(
          (dc) =>
            (q.regions === undefined || q.regions.includes(dc.region)) &&
            (q.networkVolumeTypes ?? []).every((t) => dc.networkVolumeTypes.includes(t)) &&
            (q.compliance ?? []).every((c) => dc.compliance.includes(c)) &&
            (q.globalNetwork === undefined || dc.globalNetwork === q.globalNetwork),
        )
      const stocks = await resourceStocks(ctx, q.include ?? [])
      return { dataCenters: matching.map((dc) => withAvailability(dc, stocks)) }
    },
  )

  v2.get(
    '/catalog/datacenters/:id',
    {
      preValidation: splitCommaLists(['include']),
      schema: {
        operationId: 'getDataCenter',
        summary: 'Get a data center',
        description: 'One data center. include=GPU_AVAILABILITY or CPU_AVAILABILITY adds live stock.',
        tags: ['catalog'],
        params: IdParams,
        querystring: DataCenterQuery,
        response: { 200: DataCenter, ...problems(404, 422) },
      },
    },
    async (request) => {
      const dc = ctx.catalog().dataCenters.get(request.params.id)
      if (!dc) throw notFound('data center')
      return withAvailability(facts(dc), await resourceStocks(ctx, request.query.include ?? []))
    },
  )
}

/** What podplane knows of a data center; it records no certifications, so it claims none. */
function facts(dc: CatalogDataCenter): DataCenter {
  return {
    id: dc.id,
    name: dc.name,
    region: regionOf(dc.countryCode),
    globalNetwork: dc.globalNetworking,
    networkVolumeTypes: [...OFFERED_VOLUME_TYPES],
    compliance: [],
  }
}

interface ResourceStock {
  readonly id: string
  readonly name: string
  readonly stock: Stock
}

interface Stocks {
  readonly gpus?: readonly ResourceStock[]
  readonly cpus?: readonly ResourceStock[]
}

/** What the includes ask for, read once for all data centers. */
async function resourceStocks(ctx: AppContext, include: readonly Include[]): Promise<Stocks> {
  return {
    gpus: include.includes('GPU_AVAILABILITY') ? await gpuStocks(ctx) : undefined,
    cpus: include.includes('CPU_AVAILABILITY') ? await cpuStocks(ctx) : undefined,
  }
}

/** Every GPU type's stock of one-GPU pods, in either cloud. */
async function gpuStocks(ctx: AppContext): Promise<ResourceStock[]> {
  const catalog = ctx.catalog()
  const query = { products: ['POD'] as const, gpuCount: 1, cloud: 'ALL' as const, countryCodes: [] }
  const stocks: ResourceStock[] = []
  for (const type of catalog.gpuTypes.values()) {
    const machines = await ctx.store.fleet.machines({ gpuTypeIds: [type.id] })
    const stock = gpuStock(catalog, machines, type.id, query, ctx.clock.now())
    stocks.push({ id: type.id, name: type.displayName, stock })
  }
  return stocks
}

/** Every CPU flavor's stock of 2-vCPU pods. */
async function cpuStocks(ctx: AppContext): Promise<ResourceStock[]> {
  const catalog = ctx.catalog()
  const query = { products: ['POD'] as const, vcpuCount: 2 }
  const stocks: ResourceStock[] = []
  for (const flavor of catalog.cpuFlavors.values()) {
    const machines = await ctx.store.fleet.machines({ cpuFlavorIds: [flavor.id] })
    const stock = cpuStock(catalog, machines, flavor.id, query, ctx.clock.now())
    stocks.push({ id: flavor.id, name: flavor.displayName, stock })
  }
  return stocks
}

function withAvailability(dc: DataCenter, stocks: Stocks): DataCenter {
  return {
    ...dc,
    gpuAvailability: stocks.gpus && offeredIn(dc.id, stocks.gpus),
    cpuAvailability: stocks.cpus && offeredIn(dc.id, stocks.cpus),
  }
}

/** The resources a data center offers, with their level there; none when it offers none. */
function offeredIn(dataCenterId: string, resources: readonly ResourceStock[]) {
  const offered = resources
    .filter((r) => r.stock.byDataCenter.has(dataCenterId))
    .map((r) => ({
      id: r.id,
      name: r.name,
      availability: availabilityLevel(r.stock.byDataCenter.get(dataCenterId)!),
    }))
  return offered.length > 0 ? offered : undefined
}
