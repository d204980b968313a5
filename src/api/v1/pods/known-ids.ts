import { badRequest } from '../../../domain/errors.js'

/** A filter value that names no GPU type, data center or CPU flavor is a typo: say so. */
export function assertKnownIds(
  param: string,
  ids: readonly string[] | undefined,
  known: ReadonlyMap<string, unknown>,
) {
  for (const id of ids ?? []) {
    if (!known.has(id)) throw badRequest(`query parameter ${param} has unknown value "${id}"`)
  }
}
