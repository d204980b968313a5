import { ApiError, badRequest } from '../../../domain/errors.js'
import { splitWords } from '../../../domain/shell-words.js'
import { type TemplateInput, templateNotFound } from '../../../domain/templates.js'
import { inV2Terms } from '../field-names.js'
import type { CreateTemplateBody, UpdateTemplateBody } from './schemas.js'

/** v2 bodies in the domain's terms. Fields the body leaves out stay undefined (unchanged on PATCH). */
export function toTemplateInput(body: UpdateTemplateBody): TemplateInput {
  const persistent = body.mounts?.persistent
  return {
    name: body.name,
    imageName: body.image,
    category: body.category,
    containerDiskInGb: body.disk,
    volumeInGb: persistent?.size,
    volumeMountPath: persistent?.path,
    ports: body.ports,
    env: body.env,
    dockerStartCmd: body.args === undefined ? undefined : argsToWords(body.args),
    isPublic: body.public,
    isServerless: body.serverless,
    containerRegistryAuthId: body.registry,
    startSsh: body.startSsh,
    startJupyter: body.startJupyter,
    allowedCudaVersions: body.allowedCudaVersions,
  }
}

/** A v2 create: no mount means no pod volume and no ports means none, not v1's defaults. */
export function toCreateInput(body: CreateTemplateBody): TemplateInput & { name: string; imageName: string } {
  return {
    ...toTemplateInput(body),
    name: body.name,
    imageName: body.image,
    volumeInGb: body.mounts?.persistent?.size ?? 0,
    ports: body.ports ?? [],
  }
}

function argsToWords(args: string): string[] {
  try {
    return splitWords(args)
  } catch (error) {
    throw badRequest(`args: ${(error as Error).message}`)
  }
}

const renameFields = inV2Terms({
  imageName: 'image',
  containerDiskInGb: 'disk',
  volumeInGb: 'mounts.persistent.size',
  volumeMountPath: 'mounts.persistent.path',
  isPublic: 'public',
  isServerless: 'serverless',
  containerRegistryAuthId: 'registry',
})

/**
 * Domain refusals in v2's terms: v2 field names, and 404 rather than v1's 403 for a template the
 * caller can read (official, or another user's public one) but not change.
 */
export function v2TemplateError(error: unknown): never {
  if (error instanceof ApiError && error.status === 403) throw templateNotFound()
  return renameFields(error)
}
