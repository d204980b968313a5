import { cardsOfPools } from '../../../domain/endpoint-gpus.js'
import { type ContainerSettings, containerOf } from '../../../domain/endpoint-templates.js'
import type { EndpointInput } from '../../../domain/endpoints.js'
import { ApiError, badRequest, notFound } from '../../../domain/errors.js'
import type { Endpoint, Template } from '../../../domain/resources.js'
import { splitWords } from '../../../domain/shell-words.js'
import type { Catalog } from '../../../fleet/catalog.js'
import { CUDA_VERSIONS } from '../../../fleet/catalog-data.js'
import type { AppContext } from '../../context.js'
import type { CreateEndpointBody, UpdateEndpointBody } from './schemas.js'

/**
 * Translates v2's serverless bodies into the domain's endpoint input, applying the rules v2
 * states beyond its schema: exactly one compute family, pools and exclusions, exclusive CUDA
 * constraints, scaler and idle-timeout combinations, template merging.
 */

/** A new endpoint's container disk when neither body nor template gives one, as RunPod shows it. */
const DEFAULT_DISK_GB = 20

type Body = CreateEndpointBody | UpdateEndpointBody

/** The serverless template a body builds from, if it names one: the caller's own or a public one. */
async function seedTemplate(ctx: AppContext, userId: string, body: Body): Promise<Template | undefined> {
  if (body.templateId === undefined) return undefined
  const template = await ctx.store.templates.getUsable(userId, body.templateId)
  if (!template) throw notFound('template')
  if (!template.isServerless) {
    throw new ApiError(
      422,
      `templateId: template ${body.templateId} is a pod template; endpoints need a serverless template`,
    )
  }
  return template
}

function argsToWords(args: string): string[] {
  try {
    return splitWords(args)
  } catch (error) {
    throw badRequest(`args: ${(error as Error).message}`)
  }
}

/**
 * The container settings a body asks for, over `base` (what the endpoint runs now, if anything):
 * a template's settings as if sent in the body, explicit fields over them, env merged per key.
 */
async function containerFor(
  ctx: AppContext,
  userId: string,
  body: Body,
  seed: Template | undefined,
  base: ContainerSettings | undefined,
): Promise<ContainerSettings> {
  const from = seed ? containerOf(seed) : base
  const imageName = body.image ?? from?.imageName
  if (imageName === undefined)
    throw badRequest('image: the endpoint has no template to take it from; send image')
  if (body.registry && !(await ctx.store.registryAuths.get(userId, body.registry))) throw notFound('registry')
  return {
    imageName,
    dockerStartCmd: body.args === undefined ? (from?.dockerStartCmd ?? []) : argsToWords(body.args),
    containerDiskInGb: body.disk ?? from?.containerDiskInGb ?? DEFAULT_DISK_GB,
    ports: body.ports ?? from?.ports ?? [],
    env: seed ? { ...seed.env, ...body.env } : (body.env ?? from?.env ?? {}),
    containerRegistryAuthId:
      body.registry === undefined ? (from?.containerRegistryAuthId ?? null) : body.registry,
  }
}

const touchesContainer = (b: UpdateEndpointBody) =>
  [b.image, b.args, b.disk, b.env, b.ports, b.registry, b.templateId].some((v) => v !== undefined)

function checkCuda(allowed: readonly string[], floor: string | null): void {
  if (allowed.length > 0 && floor !== null)
    throw badRequest('gpu: allowedCudaVersions and minCudaVersion are mutually exclusive')
  for (const v of [...allowed, ...(floor === null ? [] : [floor])]) {
    if (!(CUDA_VERSIONS as readonly string[]).includes(v))
      throw badRequest(`gpu: unknown CUDA version "${v}"; use one of ${CUDA_VERSIONS.join(', ')}`)
  }
}

const isPowerOfTwo = (n: number) => n > 0 && (n & (n - 1)) === 0

/**
 * CPU configurations as the domain keeps them: flavors sharing one vCPU count. podplane sizes
 * all of an endpoint's CPU workers alike, so configurations of different sizes are refused.
 */
function cpuInput(
  cpu: NonNullable<Body['cpu']>,
  catalog: Catalog,
): Pick<EndpointInput, 'cpuFlavorIds' | 'vcpuCount'> {
  for (const c of cpu) {
    if (!catalog.cpuFlavors.has(c.id)) throw badRequest(`cpu: unknown CPU flavor "${c.id}"`)
    if (!isPowerOfTwo(c.vcpuCount)) throw badRequest(`cpu: vcpuCount ${c.vcpuCount} is not a power of two`)
  }
  const vcpuCount = cpu[0]!.vcpuCount
  if (cpu.some((c) => c.vcpuCount !== vcpuCount))
    throw badRequest(
      'cpu: every configuration must have the same vcpuCount; podplane sizes all workers alike',
    )
  return { cpuFlavorIds: [...new Set(cpu.map((c) => c.id))], vcpuCount }
}

function scalingInput(
  scaling: NonNullable<Body['scaling']>,
): Pick<EndpointInput, 'scalerType' | 'scalerValue'> {
  return scaling.type === 'QUEUE_DELAY'
    ? { scalerType: 'QUEUE_DELAY', scalerValue: scaling.queueDelay }
    : { scalerType: 'REQUEST_COUNT', scalerValue: scaling.requestCount }
}

/** Idle timeouts do not apply to a queue scaled on request count, so v2 refuses one there. */
function checkIdleTimeout(type: Endpoint['type'], scalerType: Endpoint['scalerType'], body: Body): void {
  if (type === 'QUEUE' && scalerType === 'REQUEST_COUNT' && body.workers?.idleTimeout !== undefined)
    throw badRequest('workers.idleTimeout: does not apply to a QUEUE endpoint scaling on REQUEST_COUNT')
}

function checkWorkers(min: number, max: number): void {
  if (min > max) throw badRequest('workers.min must not exceed workers.max')
}

/** Each volume must be the caller's and sit in one of the endpoint's data centers. */
async function checkVolumes(
  ctx: AppContext,
  userId: string,
  volumeIds: readonly string[],
  dataCenterIds: readonly string[],
): Promise<void> {
  for (const id of volumeIds) {
    const volume = await ctx.store.networkVolumes.get(userId, id)
    if (!volume) throw notFound('network volume')
    if (!dataCenterIds.includes(volume.dataCenterId))
      throw badRequest(`networkVolumes: ${id} is in ${volume.dataCenterId}, which dataCenterIds leaves out`)
  }
}

function checkDataCenters(ids: readonly string[], catalog: Catalog): void {
  for (const id of ids)
    if (!catalog.dataCenters.has(id)) throw badRequest(`dataCenterIds: unknown data center "${id}"`)
}

/** Empty or absent means anywhere. */
const dataCentersOf = (ids: readonly string[] | undefined, catalog: Catalog) =>
  ids && ids.length > 0 ? [...ids] : [...catalog.dataCenters.keys()]

export async function toCreateInput(
  ctx: AppContext,
  userId: string,
  body: CreateEndpointBody,
): Promise<EndpointInput & { container: ContainerSettings }> {
  const { gpu, cpu } = body
  if ((gpu === undefined) === (cpu === undefined)) throw badRequest('set exactly one of gpu or cpu')
  const catalog = ctx.catalog()
  const scaling = scalingInput(body.scaling)
  checkIdleTimeout(body.type, scaling.scalerType!, body)
  const workers = { min: 0, max: 3, idleTimeout: 10, ...body.workers }
  checkWorkers(workers.min, workers.max)
  const dataCenterIds = dataCentersOf(body.dataCenterIds, catalog)
  checkDataCenters(dataCenterIds, catalog)
  await checkVolumes(ctx, userId, body.networkVolumes ?? [], dataCenterIds)
  const seed = await seedTemplate(ctx, userId, body)
  const container = await containerFor(ctx, userId, body, seed, undefined)
  let compute: EndpointInput
  if (gpu) {
    // A template's CUDA set seeds a GPU endpoint's, unless the body states a constraint itself.
    const seeded =
      gpu.allowedCudaVersions ?? (gpu.minCudaVersion === undefined ? (seed?.allowedCudaVersions ?? []) : [])
    checkCuda(seeded, gpu.minCudaVersion ?? null)
    compute = {
      computeType: 'GPU',
      gpuTypeIds: cardsOfPools(gpu.pools, gpu.excludedTypes ?? [], catalog),
      gpuCount: gpu.count ?? 1,
      allowedCudaVersions: seeded,
      minCudaVersion: gpu.minCudaVersion ?? null,
    }
  } else {
    compute = { computeType: 'CPU', ...cpuInput(cpu!, catalog) }
  }
  return {
    ...compute,
    ...scaling,
    name: body.name,
    type: body.type,
    container,
    containerFrom: seed,
    workersMin: workers.min,
    workersMax: workers.max,
    idleTimeout: workers.idleTimeout,
    dataCenterIds,
    networkVolumeIds: body.networkVolumes ?? [],
    executionTimeoutMs: body.timeout ?? 300_000,
    flashboot: body.flashboot ?? 'OFF',
  }
}

function gpuUpdate(
  current: Endpoint,
  gpu: NonNullable<UpdateEndpointBody['gpu']>,
  catalog: Catalog,
): EndpointInput {
  const allowed = gpu.allowedCudaVersions ?? current.allowedCudaVersions
  const floor = gpu.minCudaVersion === undefined ? current.minCudaVersion : gpu.minCudaVersion || null
  if (gpu.allowedCudaVersions !== undefined || gpu.minCudaVersion !== undefined) checkCuda(allowed, floor)
  return {
    gpuTypeIds: gpu.pools ? cardsOfPools(gpu.pools, gpu.excludedTypes ?? [], catalog) : undefined,
    gpuCount: gpu.count,
    allowedCudaVersions: allowed,
    minCudaVersion: floor,
  }
}

export async function toUpdateInput(
  ctx: AppContext,
  userId: string,
  current: Endpoint,
  body: UpdateEndpointBody,
): Promise<EndpointInput> {
  const { gpu, cpu } = body
  if (gpu && cpu) throw badRequest('set at most one of gpu or cpu')
  if (gpu && current.computeType === 'CPU')
    throw badRequest('gpu: this is a CPU endpoint; its compute family is fixed')
  if (cpu && current.computeType === 'GPU')
    throw badRequest('cpu: this is a GPU endpoint; its compute family is fixed')
  const catalog = ctx.catalog()
  const scaling = body.scaling && scalingInput(body.scaling)
  if (current.type === 'LOAD_BALANCER' && scaling?.scalerType === 'QUEUE_DELAY')
    throw badRequest('scaling: a LOAD_BALANCER endpoint scales on REQUEST_COUNT')
  checkIdleTimeout(current.type, scaling?.scalerType ?? current.scalerType, body)
  checkWorkers(body.workers?.min ?? current.workersMin, body.workers?.max ?? current.workersMax)
  const dataCenterIds =
    body.dataCenterIds === undefined ? current.dataCenterIds : dataCentersOf(body.dataCenterIds, catalog)
  checkDataCenters(dataCenterIds, catalog)
  if (body.networkVolumes || body.dataCenterIds)
    await checkVolumes(ctx, userId, body.networkVolumes ?? current.networkVolumeIds, dataCenterIds)
  let container: ContainerSettings | undefined
  if (touchesContainer(body)) {
    const template = await ctx.store.templates.getUsable(userId, current.templateId)
    const seed = await seedTemplate(ctx, userId, body)
    container = await containerFor(ctx, userId, body, seed, template && containerOf(template))
  }
  return {
    ...(gpu ? gpuUpdate(current, gpu, catalog) : {}),
    ...(cpu ? cpuInput(cpu, catalog) : {}),
    ...scaling,
    name: body.name,
    container,
    workersMin: body.workers?.min,
    workersMax: body.workers?.max,
    idleTimeout: body.workers?.idleTimeout,
    dataCenterIds: body.dataCenterIds === undefined ? undefined : dataCenterIds,
    networkVolumeIds: body.networkVolumes,
    executionTimeoutMs: body.timeout,
    flashboot: body.flashboot,
  }
}
