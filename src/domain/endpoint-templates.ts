import { newTemplateId, randomId } from '../ids.js'
import type { Store } from '../store/store.js'
import { badRequest } from './errors.js'
import { POD_DEFAULTS, validatePorts } from './pod-spec.js'
import type { Template } from './resources.js'

/** What a worker's container runs: the part of its template an endpoint can set directly (v2). */
export interface ContainerSettings {
  readonly imageName: string
  readonly dockerStartCmd: readonly string[]
  readonly containerDiskInGb: number
  readonly ports: readonly string[]
  readonly env: Readonly<Record<string, string>>
  readonly containerRegistryAuthId: string | null
}

export function containerOf(t: Template): ContainerSettings {
  return {
    imageName: t.imageName,
    dockerStartCmd: t.dockerStartCmd,
    containerDiskInGb: t.containerDiskInGb,
    ports: t.ports,
    env: t.env,
    containerRegistryAuthId: t.containerRegistryAuthId,
  }
}

const canonical = (c: ContainerSettings) =>
  JSON.stringify([
    c.imageName,
    c.dockerStartCmd,
    c.containerDiskInGb,
    c.ports,
    Object.entries(c.env).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
    c.containerRegistryAuthId,
  ])

export function sameContainer(a: ContainerSettings, b: ContainerSettings): boolean {
  return canonical(a) === canonical(b)
}

/**
 * A serverless template made for one endpoint from its container settings, named the way RunPod
 * names them (`<endpoint>__template__<suffix>`); it changes and goes with the endpoint. What v2
 * cannot express (entrypoint, mount path, category) comes from `base`, the template the settings
 * were taken from or the endpoint ran before, so workers keep running the command they ran.
 */
export function boundTemplate(
  userId: string,
  endpointName: string,
  c: ContainerSettings,
  now: number,
  base?: Template,
): Template {
  return {
    ...c,
    id: newTemplateId(),
    userId,
    name: `${endpointName}__template__${randomId(7)}`,
    category: base?.category ?? 'NVIDIA',
    volumeInGb: 0,
    volumeMountPath: base?.volumeMountPath ?? POD_DEFAULTS.volumeMountPath,
    dockerEntrypoint: base ? [...base.dockerEntrypoint] : [],
    readme: '',
    isPublic: false,
    isRunpod: false,
    isServerless: true,
    startSsh: false,
    startJupyter: false,
    allowedCudaVersions: [],
    earned: 0,
    runtimeInMin: 0,
    createdAt: now,
  }
}

/** Checks what template validation would: well-formed ports and a credential the user has. */
export async function validateContainer(store: Store, userId: string, c: ContainerSettings): Promise<void> {
  validatePorts('ports', c.ports)
  if (
    c.containerRegistryAuthId !== null &&
    !(await store.registryAuths.get(userId, c.containerRegistryAuthId))
  ) {
    throw badRequest(`registry: container registry auth ${c.containerRegistryAuthId} not found`)
  }
}
