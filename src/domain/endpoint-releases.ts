import { randomId } from '../ids.js'
import { containerOf } from './endpoint-templates.js'
import type { Endpoint, Template } from './resources.js'

/** Changing these starts a new release: workers are replaced by ones built from the new settings. */
export const RELEASE_FIELDS = [
  'templateId',
  'computeType',
  'gpuTypeIds',
  'gpuCount',
  'allowedCudaVersions',
  'minCudaVersion',
  'cpuFlavorIds',
  'vcpuCount',
  'dataCenterIds',
  'networkVolumeIds',
] as const

/**
 * What workers of one version run, flattened: the endpoint's release fields by name and its
 * template's container settings as `template.<field>`, so two snapshots compare key by key.
 */
export type ReleaseSnapshot = Readonly<Record<string, unknown>>

/** One version of an endpoint's configuration; every version bump records one. */
export interface EndpointRelease {
  readonly id: string
  readonly endpointId: string
  readonly userId: string
  readonly version: number
  readonly snapshot: ReleaseSnapshot
  /** Who made the change; null when another user's public template changed under the endpoint. */
  readonly createdByUserId: string | null
  readonly createdAt: number
}

export interface ReleaseDiffEntry {
  readonly field: string
  readonly old: unknown
  readonly new: unknown
}

export function releaseSnapshot(e: Endpoint, t: Template | undefined): ReleaseSnapshot {
  const snapshot: Record<string, unknown> = {}
  for (const field of RELEASE_FIELDS) snapshot[field] = e[field]
  if (t) {
    const container = { ...containerOf(t), env: Object.fromEntries(Object.entries(t.env).sort()) }
    for (const [field, value] of Object.entries(container)) snapshot[`template.${field}`] = value
  }
  return snapshot
}

export function newRelease(
  e: Endpoint,
  t: Template | undefined,
  createdByUserId: string | null,
  now: number,
): EndpointRelease {
  return {
    id: randomId(10),
    endpointId: e.id,
    userId: e.userId,
    version: e.version,
    snapshot: releaseSnapshot(e, t),
    createdByUserId,
    createdAt: now,
  }
}

/** The fields that differ between two snapshots; a field one of them lacks counts as null. */
export function releaseDiff(before: ReleaseSnapshot, after: ReleaseSnapshot): ReleaseDiffEntry[] {
  const fields = [...new Set([...Object.keys(before), ...Object.keys(after)])]
  return fields
    .map((field) => ({ field, old: before[field] ?? null, new: after[field] ?? null }))
    .filter((entry) => JSON.stringify(entry.old) !== JSON.stringify(entry.new))
}
