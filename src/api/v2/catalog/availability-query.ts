import type { CpuStockQuery, CudaFilter, GpuStockQuery } from '../../../domain/availability.js'
import { badRequest } from '../../../domain/errors.js'
import type { CpuTypesQuery, GpuTypesQuery } from './schemas.js'

/**
 * The rules a catalog query keeps beyond its schema, each a 400 (breaking the schema is a 422):
 * `product` is required with include=AVAILABILITY, and it and every other availability
 * parameter are valid only with it. `broken` holds the query's other broken rules, so one answer
 * names them all.
 */
function availabilityRequested(
  query: { readonly include?: readonly string[] },
  scoped: readonly string[],
  broken: string[],
): boolean {
  const sent = query as Record<string, unknown>
  const requested = query.include !== undefined
  if (requested && sent.product === undefined) broken.push('product is required with include=AVAILABILITY')
  if (!requested) {
    for (const name of ['product', ...scoped]) {
      if (sent[name] !== undefined) broken.push(`${name} is valid only with include=AVAILABILITY`)
    }
  }
  if (broken.length > 0) throw badRequest(broken.join('; '))
  return requested
}

/** What a GPU catalog read asks availability for; undefined when it asks for none. */
export function gpuStockQuery(q: GpuTypesQuery): GpuStockQuery | undefined {
  const broken: string[] = []
  if (q.cudaVersions !== undefined && q.minCudaVersion !== undefined) {
    broken.push('cudaVersions and minCudaVersion are mutually exclusive; send one of them')
  }
  const scoped = ['count', 'cloud', 'countryCodes', 'cudaVersions', 'minCudaVersion']
  if (!availabilityRequested(q, scoped, broken)) return undefined
  let cuda: CudaFilter | undefined
  if (q.cudaVersions !== undefined) cuda = { versions: q.cudaVersions }
  else if (q.minCudaVersion !== undefined) cuda = { atLeast: q.minCudaVersion }
  return {
    products: q.product!,
    gpuCount: q.count ?? 1,
    cloud: q.cloud ?? 'SECURE',
    countryCodes: q.countryCodes ?? [],
    cuda,
  }
}

/** What a CPU catalog read asks availability for; undefined when it asks for none. */
export function cpuStockQuery(q: CpuTypesQuery): CpuStockQuery | undefined {
  const broken: string[] = []
  if (q.vcpuCount !== undefined && !Number.isInteger(Math.log2(q.vcpuCount))) {
    broken.push('vcpuCount must be a power of two')
  }
  if (!availabilityRequested(q, ['vcpuCount'], broken)) return undefined
  return { products: q.product!, vcpuCount: q.vcpuCount ?? 2 }
}
