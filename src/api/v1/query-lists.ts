import type { FastifyRequest } from 'fastify'

/**
 * List query parameters arrive as repeated keys (`?gpuTypeId=a&gpuTypeId=b`) or as one
 * comma-separated value (`?gpuTypeId=a,b`); both become one array before validation.
 */
export function splitCommaLists(params: readonly string[]) {
  return async function splitLists(request: FastifyRequest) {
    const query = request.query as Record<string, unknown>
    for (const param of params) {
      const value = query[param]
      if (value === undefined) continue
      const values = (Array.isArray(value) ? value : [value]).flatMap((v) =>
        typeof v === 'string'
          ? v
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== '')
          : [v],
      )
      // `?gpuTypeId=` names nothing, so it filters nothing.
      if (values.length === 0) delete query[param]
      else query[param] = values
    }
  }
}
