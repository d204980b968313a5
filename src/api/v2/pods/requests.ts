import { randomBytes } from 'node:crypto'
import { ApiError, badRequest, notFound } from '../../../domain/errors.js'
import type { Pod as DomainPod } from '../../../domain/pod.js'
import type { CreatePodRequest } from '../../../domain/pod-spec.js'
import type { PodUpdate } from '../../../domain/pods.js'
import type { Template } from '../../../domain/resources.js'
import { splitWords } from '../../../domain/shell-words.js'
import { CUDA_VERSIONS } from '../../../fleet/catalog-data.js'
import type { AppContext } from '../../context.js'
import type { CreatePodBody, UpdatePodBody } from './schemas.js'

/**
 * Translates v2's nested pod bodies into the domain's requests, applying the rules v2 states
 * beyond its schema (exactly one of gpu/cpu, exclusive mounts, template merging, start flags).
 */

function argsToWords(field: string, args: string): string[] {
  try {
    return splitWords(args)
  } catch (error) {
    throw badRequest(`${field}: ${(error as Error).message}`)
  }
}

/** `12.11` > `12.2`: CUDA versions compare as numbers per part. */
function cudaAtLeast(version: string, floor: string): boolean {
  const [a, b] = version.split('.').map(Number) as [number, number]
  const [c, d] = floor.split('.').map(Number) as [number, number]
  return a > c || (a === c && b >= d)
}

/** A template the caller may build from: their own or a public one; never a serverless one. */
async function usableTemplate(ctx: AppContext, userId: string, id: string): Promise<Template> {
  const template = await ctx.store.templates.getUsable(userId, id)
  if (!template) throw notFound('template')
  if (template.isServerless)
    throw new ApiError(422, `templateId: template ${id} is a serverless template; pods need a pod template`)
  return template
}

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0

export async function toCreateRequest(
  ctx: AppContext,
  userId: string,
  body: CreatePodBody,
): Promise<CreatePodRequest> {
  const { gpu, cpu } = body
  if ((gpu === undefined) === (cpu === undefined)) throw badRequest('set exactly one of gpu or cpu')
  const persistent = body.mounts?.persistent
  const network = body.mounts?.network?.[0]
  if (persistent && network) throw badRequest('mounts: persistent and network are mutually exclusive')
  if (persistent && cpu) throw badRequest('mounts.persistent: CPU pods support network volumes only')
  if (gpu?.minCudaVersion !== undefined && (gpu.allowedCudaVersions?.length ?? 0) > 0)
    throw badRequest('gpu: allowedCudaVersions and minCudaVersion are mutually exclusive')
  if (cpu && !isPowerOfTwo(cpu.vcpuCount)) throw badRequest('cpu.vcpuCount: must be a power of two')

  const catalog = ctx.catalog()
  if (gpu && !catalog.gpuTypes.has(gpu.id)) throw badRequest(`gpu.id: unknown GPU type "${gpu.id}"`)
  if (cpu && !catalog.cpuFlavors.has(cpu.id)) throw badRequest(`cpu.id: unknown CPU flavor "${cpu.id}"`)
  for (const id of body.dataCenterIds ?? [])
    if (!catalog.dataCenters.has(id)) throw badRequest(`dataCenterIds: unknown data center "${id}"`)
  if (network && !(await ctx.store.networkVolumes.get(userId, network.volumeId)))
    throw notFound('network volume')
  if (body.registry && !(await ctx.store.registryAuths.get(userId, body.registry))) throw notFound('registry')

  const template =
    body.templateId === undefined ? undefined : await usableTemplate(ctx, userId, body.templateId)
  // CPU pods do not inherit a template's persistent volume.
  const templateVolume = template && !cpu && !network && template.volumeInGb > 0 ? template : undefined
  const env: Record<string, string> = { ...template?.env, ...body.env }
  if (body.startJupyter && env.JUPYTER_PASSWORD === undefined)
    env.JUPYTER_PASSWORD = randomBytes(12).toString('base64url')
  if (body.startSsh && env.PUBLIC_KEY === undefined) {
    const keys = await ctx.store.account.sshKeys(userId)
    if (keys.length > 0) env.PUBLIC_KEY = keys.join('\n')
  }

  let allowedCudaVersions = gpu?.allowedCudaVersions
  if (gpu?.minCudaVersion !== undefined) {
    await ctx.store.fleet.ready()
    const known = new Set<string>(CUDA_VERSIONS)
    for (const m of ctx.store.fleet.all()) if (m.cudaVersion) known.add(m.cudaVersion)
    allowedCudaVersions = [...known].filter((v) => cudaAtLeast(v, gpu.minCudaVersion!))
    // No known version is high enough: nothing can host it, which is a capacity answer.
    if (allowedCudaVersions.length === 0) allowedCudaVersions = [gpu.minCudaVersion]
  }

  return {
    name: body.name,
    imageName: body.image ?? template?.imageName,
    computeType: gpu ? 'GPU' : 'CPU',
    cloudType: body.cloud ?? 'SECURE',
    gpuTypeIds: gpu ? [gpu.id] : undefined,
    gpuCount: gpu ? (gpu.count ?? 1) : undefined,
    allowedCudaVersions,
    cpuFlavorIds: cpu ? [cpu.id] : undefined,
    vcpuCount: cpu?.vcpuCount,
    dataCenterIds: body.dataCenterIds?.length ? body.dataCenterIds : undefined,
    containerDiskInGb: body.disk ?? template?.containerDiskInGb,
    volumeInGb: persistent?.size ?? templateVolume?.volumeInGb ?? 0,
    volumeMountPath: persistent?.path ?? network?.path ?? templateVolume?.volumeMountPath,
    ports: body.ports ?? template?.ports ?? [],
    env,
    dockerStartCmd:
      body.args !== undefined ? argsToWords('args', body.args) : (template?.dockerStartCmd ?? []),
    globalNetworking: body.globalNetworking,
    networkVolumeId: network?.volumeId,
    containerRegistryAuthId: body.registry ?? template?.containerRegistryAuthId ?? undefined,
  }
}

/** The domain update for a v2 PATCH, checking v2's mount rules against the pod as it is. */
export async function toUpdate(
  ctx: AppContext,
  userId: string,
  pod: DomainPod,
  body: UpdatePodBody,
): Promise<PodUpdate> {
  const template =
    body.templateId === undefined ? undefined : await usableTemplate(ctx, userId, body.templateId)
  const update: { -readonly [K in keyof PodUpdate]: PodUpdate[K] } = {
    name: body.name,
    locked: body.locked,
    globalNetworking: body.globalNetworking,
    imageName: body.image ?? template?.imageName,
    containerDiskInGb: body.disk ?? template?.containerDiskInGb,
    ports: body.ports ?? template?.ports,
    env: body.env !== undefined || template ? { ...template?.env, ...body.env } : undefined,
    dockerStartCmd: body.args !== undefined ? argsToWords('args', body.args) : template?.dockerStartCmd,
    containerRegistryAuthId: body.registry !== undefined ? body.registry : template?.containerRegistryAuthId,
  }
  if (
    update.containerRegistryAuthId &&
    !(await ctx.store.registryAuths.get(userId, update.containerRegistryAuthId))
  )
    throw notFound('registry')

  const { persistent, network } = body.mounts ?? {}
  const hasNetwork = pod.networkVolumeId !== null
  const hasPersistent = !hasNetwork && pod.volumeInGb > 0
  if (network !== undefined) {
    if (network.length === 0) throw badRequest('mounts.network: clearing mounts is not supported')
    if (!hasNetwork) throw badRequest('mounts.network: the pod was created without a network volume')
    if (network[0]!.volumeId !== pod.networkVolumeId)
      throw badRequest('mounts.network: a network mount’s volumeId cannot change')
    update.volumeMountPath = network[0]!.path
  }
  if (persistent !== undefined) {
    if (!hasPersistent) throw badRequest('mounts.persistent: the pod was created without a persistent mount')
    update.volumeInGb = persistent.size
    update.volumeMountPath = persistent.path
  }
  return update
}
