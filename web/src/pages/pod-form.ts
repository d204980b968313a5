import type { V1, V2 } from '../../../src/client/index.js'

/** The create-pod form, as strings the inputs hold. */
export interface PodForm {
  name: string
  templateId: string | null
  imageName: string
  gpuTypeId: string | null
  gpuCount: number
  cloudType: 'SECURE' | 'COMMUNITY'
  ports: string
  env: string
  containerDiskInGb: number
  volumeInGb: number
  networkVolumeId: string | null
  dataCenterIds: string[]
}

export const EMPTY_FORM: PodForm = {
  name: '',
  templateId: null,
  imageName: '',
  gpuTypeId: null,
  gpuCount: 1,
  cloudType: 'SECURE',
  ports: '',
  env: '',
  containerDiskInGb: 50,
  volumeInGb: 20,
  networkVolumeId: null,
  dataCenterIds: [],
}

const PORT = /^\d{1,5}\/(http|tcp|udp)$/

export const splitList = (value: string) =>
  value
    .split(/[,\s]+/)
    .map((part) => part.trim())
    .filter(Boolean)

/** `KEY=value` lines into an env object; lines without `=` are reported by `validatePodForm`. */
export function parseEnv(value: string): Record<string, string> {
  const env: Record<string, string> = {}
  for (const line of value.split('\n')) {
    const at = line.indexOf('=')
    if (at > 0) env[line.slice(0, at).trim()] = line.slice(at + 1)
  }
  return env
}

export const envText = (env: Record<string, string>) =>
  Object.entries(env)
    .map(([key, value]) => `${key}=${value}`)
    .join('\n')

/** What a template sets on a new pod: image, ports, env and disks. */
export function applyTemplate(form: PodForm, template: V1.Template): PodForm {
  return {
    ...form,
    templateId: template.id,
    imageName: template.imageName,
    ports: template.ports.join(', '),
    env: envText(template.env),
    containerDiskInGb: template.containerDiskInGb,
    volumeInGb: template.volumeInGb,
  }
}

/** Messages to show next to the fields, keyed by field; empty when the form can be sent. */
export function validatePodForm(form: PodForm): Partial<Record<keyof PodForm, string>> {
  const errors: Partial<Record<keyof PodForm, string>> = {}
  if (!form.imageName.trim() && !form.templateId) errors.imageName = 'Enter an image, or pick a template'
  if (form.imageName.length > 1024) errors.imageName = 'An image name is at most 1024 characters'
  if (form.name.length > 191) errors.name = 'A name is at most 191 characters'
  if (!form.gpuTypeId) errors.gpuTypeId = 'Pick a GPU type'
  if (!Number.isInteger(form.gpuCount) || form.gpuCount < 1) errors.gpuCount = 'At least 1 GPU'
  const badPort = splitList(form.ports).find((port) => !PORT.test(port))
  if (badPort) errors.ports = `“${badPort}” is not a port like 8888/http or 22/tcp`
  const badEnv = form.env.split('\n').find((line) => line.trim() && line.indexOf('=') <= 0)
  if (badEnv) errors.env = `“${badEnv}” is not KEY=value`
  if (!Number.isInteger(form.containerDiskInGb) || form.containerDiskInGb < 1)
    errors.containerDiskInGb = 'At least 1 GB'
  if (!Number.isInteger(form.volumeInGb) || form.volumeInGb < 0) errors.volumeInGb = '0 GB or more'
  return errors
}

/** The v1 create body for a valid form. A network volume pins the pod to the volume's data center. */
export function podCreateInput(form: PodForm, volumes: readonly V1.NetworkVolume[]): V1.PodCreateInput {
  const volume = volumes.find((v) => v.id === form.networkVolumeId)
  const dataCenterIds = volume ? [volume.dataCenterId] : form.dataCenterIds
  return {
    ...(form.name.trim() ? { name: form.name.trim() } : {}),
    ...(form.templateId ? { templateId: form.templateId } : {}),
    ...(form.imageName.trim() ? { imageName: form.imageName.trim() } : {}),
    computeType: 'GPU',
    gpuTypeIds: form.gpuTypeId ? [form.gpuTypeId] : [],
    gpuCount: form.gpuCount,
    cloudType: form.cloudType,
    ports: splitList(form.ports),
    env: parseEnv(form.env),
    containerDiskInGb: form.containerDiskInGb,
    volumeInGb: form.volumeInGb,
    ...(volume ? { networkVolumeId: volume.id } : {}),
    ...(dataCenterIds.length ? { dataCenterIds } : {}),
  }
}

/** The price per hour the catalog quotes for the chosen GPU, count and cloud. */
export function hourlyCost(form: PodForm, gpus: readonly V2.GpuType[]): number | null {
  const gpu = gpus.find((g) => g.id === form.gpuTypeId)
  if (!gpu) return null
  const perGpu = form.cloudType === 'SECURE' ? gpu.price.secure : gpu.price.community
  return perGpu * form.gpuCount
}
