import { ApiError } from '../../domain/errors.js'

/**
 * The domain names a field the way v1 does when it refuses a value (`volumeMountPath: …`); v2
 * calls the same fields differently (`mounts.persistent.path`). Returns a `catch` handler that
 * rewrites the field a rule violation starts with, so the message names what the client sent.
 *
 * @example await ctx.networkVolumes.create(userId, input).catch(inV2Terms({ dataCenterId: 'dataCenter' }))
 */
export function inV2Terms(names: Readonly<Record<string, string>>) {
  return (error: unknown): never => {
    if (error instanceof ApiError) {
      const field = /^([A-Za-z.]+): /.exec(error.message)?.[1]
      const renamed = field === undefined ? undefined : names[field]
      if (field !== undefined && renamed !== undefined) {
        const message = renamed + error.message.slice(field.length)
        throw new ApiError(error.status, message, error.kind, error.retryAfter)
      }
    }
    throw error
  }
}
