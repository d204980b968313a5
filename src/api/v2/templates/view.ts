import type { Template as DomainTemplate } from '../../../domain/resources.js'
import { joinWords } from '../../../domain/shell-words.js'
import type { Template } from './schemas.js'

/**
 * A template in v2's shape, as `userId` sees it. v1's start command (a list of words) is v2's
 * `args` (one shell-quoted string); the pod volume is the persistent mount. Only the owner sees
 * which registry credential a template pulls with.
 */
export function v2TemplateView(t: DomainTemplate, userId: string): Template {
  return {
    id: t.id,
    name: t.name,
    image: t.imageName,
    args: joinWords(t.dockerStartCmd),
    disk: t.containerDiskInGb,
    mounts: t.volumeInGb > 0 ? { persistent: { size: t.volumeInGb, path: t.volumeMountPath } } : {},
    ports: [...t.ports],
    env: { ...t.env },
    registry: t.userId === userId ? t.containerRegistryAuthId : null,
    serverless: t.isServerless,
    public: t.isPublic,
    category: t.category as Template['category'],
    startSsh: t.startSsh,
    startJupyter: t.startJupyter,
    allowedCudaVersions: [...t.allowedCudaVersions],
  }
}
