import type { V1 } from '../../../src/client/index.js'

/** v1's list filters, as the URL keeps them (array filters as repeated keys). */
export const ARRAY_FILTERS = ['gpuTypeId', 'dataCenterId'] as const
export const TEXT_FILTERS = [
  'desiredStatus',
  'name',
  'imageName',
  'templateId',
  'networkVolumeId',
  'endpointId',
  'computeType',
] as const

/** Reads a `GET /v1/pods` query from the console's URL; unknown keys are ignored. */
export function filtersFromSearch(search: URLSearchParams): V1.ListPodsQuery {
  const query: Record<string, unknown> = {}
  for (const key of ARRAY_FILTERS) {
    const values = search.getAll(key).filter(Boolean)
    if (values.length) query[key] = values
  }
  for (const key of TEXT_FILTERS) {
    const value = search.get(key)
    if (value) query[key] = value
  }
  if (search.get('includeWorkers') === 'true') query.includeWorkers = true
  return query as V1.ListPodsQuery
}

/** Sets one filter in a copy of the query string (empty values remove it). */
export function withFilter(search: URLSearchParams, key: string, value: string | string[] | boolean | null) {
  const next = new URLSearchParams(search)
  next.delete(key)
  if (Array.isArray(value)) for (const v of value) next.append(key, v)
  else if (value === true) next.set(key, 'true')
  else if (typeof value === 'string' && value) next.set(key, value)
  return next
}
