import type { Template } from '../../../domain/resources.js'
import type * as V1 from './schemas.js'

export function templateView(t: Template): V1.Template {
  return {
    category: t.category,
    containerDiskInGb: t.containerDiskInGb,
    containerRegistryAuthId: t.containerRegistryAuthId ?? undefined,
    dockerEntrypoint: [...t.dockerEntrypoint],
    dockerStartCmd: [...t.dockerStartCmd],
    earned: t.earned,
    env: { ...t.env },
    id: t.id,
    imageName: t.imageName,
    isPublic: t.isPublic,
    isRunpod: t.isRunpod,
    isServerless: t.isServerless,
    name: t.name,
    ports: [...t.ports],
    readme: t.readme,
    runtimeInMin: t.runtimeInMin,
    volumeInGb: t.volumeInGb,
    volumeMountPath: t.volumeMountPath,
  }
}
