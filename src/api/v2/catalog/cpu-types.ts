import { type CpuStockQuery, cpuStock } from '../../../domain/availability.js'
import { notFound } from '../../../domain/errors.js'
import type { CpuFlavor } from '../../../fleet/catalog.js'
import type { MachineCapacity } from '../../../scheduler/types.js'
import type { App, AppContext } from '../../context.js'
import { splitCommaLists } from '../../v1/query-lists.js'
import { IdParams, problems } from '../common.js'
import { cpuStockQuery } from './availability-query.js'
import { CPU_LIST_PARAMS, CpuType, CpuTypesQuery, ListCpuTypesResponse } from './schemas.js'
import { stockView } from './stock-view.js'

/** GET /v2/catalog/cpus and /v2/catalog/cpus/{id}: CPU flavors with prices and, on request, live stock. */
export function cpuTypeRoutes(v2: App, ctx: AppContext): void {
  v2.get(
    '/catalog/cpus',
    {
      preValidation: splitCommaLists(CPU_LIST_PARAMS),
      schema: {
        operationId: 'listCpuTypes',
        summary: 'List CPU types',
        description: 'CPU flavors with prices. include=AVAILABILITY (with product) adds live stock.',
        tags: ['catalog'],
        querystring: CpuTypesQuery,
        response: { 200: ListCpuTypesResponse, ...problems(400, 422) },
      },
    },
    async (request) => {
      const query = cpuStockQuery(request.query)
      const cpus: CpuType[] = []
      for (const flavor of ctx.catalog().cpuFlavors.values()) cpus.push(await cpuTypeView(ctx, flavor, query))
      return { cpus }
    },
  )

  v2.get(
    '/catalog/cpus/:id',
    {
      preValidation: splitCommaLists(CPU_LIST_PARAMS),
      schema: {
        operationId: 'getCpuType',
        summary: 'Get a CPU type',
        description: 'One CPU flavor with prices. include=AVAILABILITY (with product) adds live stock.',
        tags: ['catalog'],
        params: IdParams,
        querystring: CpuTypesQuery,
        response: { 200: CpuType, ...problems(400, 404, 422) },
      },
    },
    async (request) => {
      const query = cpuStockQuery(request.query)
      const flavor = ctx.catalog().cpuFlavors.get(request.params.id)
      if (!flavor) throw notFound('CPU type')
      return cpuTypeView(ctx, flavor, query)
    },
  )
}

/**
 * A CPU flavor as v2 shows it. CPU pods run in Secure Cloud, and serverless CPU workers are
 * billed as such pods, so both prices are the flavor's.
 */
async function cpuTypeView(
  ctx: AppContext,
  flavor: CpuFlavor,
  query: CpuStockQuery | undefined,
): Promise<CpuType> {
  const machines = await ctx.store.fleet.machines({ cpuFlavorIds: [flavor.id] })
  const stock = query && cpuStock(ctx.catalog(), machines, flavor.id, query, ctx.clock.now())
  return {
    id: flavor.id,
    name: flavor.displayName,
    group: groupName(flavor.groupId),
    vcpu: vcpuRange(machines),
    ramGbPerVcpu: flavor.ramPerVcpuGb,
    price: { securePerVcpu: flavor.pricePerVcpu, serverlessPerVcpu: flavor.pricePerVcpu },
    ...(stock && stockView(stock, ctx.catalog())),
  }
}

/** vCPU counts are powers of two, from 2 up to the largest that fits the flavor's biggest host. */
function vcpuRange(machines: readonly MachineCapacity[]): { min: number; max: number } {
  const biggest = machines.reduce((most, m) => Math.max(most, m.vcpuCount), 0)
  let max = 2
  while (max * 2 <= biggest) max *= 2
  return { min: 2, max }
}

/** @example groupName('cpu5') // 'Gen 5' */
function groupName(groupId: string): string {
  const generation = /^cpu(\d+)$/.exec(groupId)?.[1]
  return generation ? `Gen ${generation}` : groupId
}
