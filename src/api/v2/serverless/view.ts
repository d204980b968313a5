import { poolsOfCards } from '../../../domain/endpoint-gpus.js'
import { type EndpointRelease, releaseDiff } from '../../../domain/endpoint-releases.js'
import type { Pod } from '../../../domain/pod.js'
import { statusAt } from '../../../domain/pod-lifecycle.js'
import type { Endpoint as DomainEndpoint, Template } from '../../../domain/resources.js'
import { joinWords } from '../../../domain/shell-words.js'
import type { Catalog } from '../../../fleet/catalog.js'
import { iso, isoOrNull } from '../common.js'
import type {
  Endpoint,
  ListEndpointReleasesResponse,
  ListEndpointWorkersResponse,
  Worker,
} from './schemas.js'

/**
 * Where RunPod answers an endpoint's requests. podplane does not serve the job API; it names
 * RunPod's URLs so clients parse them alike. The spec types them `format: uri` while its
 * examples carry a raw `{job_id}`, which is no URI; the schema wins, so the placeholder is
 * percent-encoded.
 */
function requestUrls(e: DomainEndpoint): Endpoint['requestUrls'] {
  if (e.type === 'LOAD_BALANCER') {
    const base = `https://${e.id}.api.runpod.ai`
    return { base, health: `${base}/ping` }
  }
  const base = `https://api.runpod.ai/v2/${e.id}`
  const job = '%7Bjob_id%7D'
  return {
    run: `${base}/run`,
    runSync: `${base}/runsync`,
    status: `${base}/status/${job}`,
    stream: `${base}/stream/${job}`,
    cancel: `${base}/cancel/${job}`,
    retry: `${base}/retry/${job}`,
    purgeQueue: `${base}/purge-queue`,
    health: `${base}/health`,
  }
}

function containerView(t: Template | undefined) {
  if (!t) return {}
  return {
    image: t.imageName,
    args: joinWords(t.dockerStartCmd),
    disk: t.containerDiskInGb,
    ports: [...t.ports],
    env: { ...t.env },
    registry: t.containerRegistryAuthId,
  }
}

function computeView(e: DomainEndpoint, catalog: Catalog): Pick<Endpoint, 'gpu' | 'cpu'> {
  if (e.computeType === 'CPU') {
    return {
      cpu: e.cpuFlavorIds.map((id) => ({
        id,
        vcpuCount: e.vcpuCount,
        memory: e.vcpuCount * (catalog.cpuFlavors.get(id)?.ramPerVcpuGb ?? 0),
      })),
    }
  }
  const { pools, excludedTypes } = poolsOfCards(e.gpuTypeIds, catalog)
  return {
    gpu: {
      pools,
      excludedTypes: excludedTypes.length > 0 ? excludedTypes : undefined,
      count: e.gpuCount,
      allowedCudaVersions: [...e.allowedCudaVersions],
      minCudaVersion: e.minCudaVersion,
    },
  }
}

/** An endpoint as v2 shows it: container settings from its template, compute as pools or CPU configs. */
export function endpointView(e: DomainEndpoint, template: Template | undefined, catalog: Catalog): Endpoint {
  // Idle timeouts do not apply to a queue scaled on request count; v2 leaves it out there.
  const idleTimeout = e.type === 'QUEUE' && e.scalerType === 'REQUEST_COUNT' ? undefined : e.idleTimeout
  return {
    id: e.id,
    name: e.name,
    type: e.type,
    requestUrls: requestUrls(e),
    ...containerView(template),
    ...computeView(e, catalog),
    workers: { min: e.workersMin, max: e.workersMax, idleTimeout },
    scaling:
      e.scalerType === 'QUEUE_DELAY'
        ? { type: 'QUEUE_DELAY', queueDelay: e.scalerValue }
        : { type: 'REQUEST_COUNT', requestCount: e.scalerValue },
    dataCenterIds: [...e.dataCenterIds],
    networkVolumes: [...e.networkVolumeIds],
    timeout: e.executionTimeoutMs,
    flashboot: e.flashboot,
    createdAt: iso(e.createdAt),
  }
}

/**
 * A worker's status from its pod's lifecycle alone: podplane simulates no job traffic, so a
 * running worker is idle, never busy. Workers waiting for capacity have no pod yet and are not
 * listed.
 */
function workerStatus(pod: Pod, now: number): Worker['status'] {
  switch (statusAt(pod, now)) {
    case 'RUNNING':
      return 'IDLE'
    case 'EXITED':
    case 'ERROR':
      return 'UNHEALTHY'
    default:
      return 'INITIALIZING'
  }
}

/** The endpoint's live workers: its pods that are not terminated. */
export function activeWorkers(pods: readonly Pod[], now: number): Pod[] {
  return pods.filter((p) => statusAt(p, now) !== 'TERMINATED')
}

export function workersView(
  e: DomainEndpoint,
  pods: readonly Pod[],
  now: number,
): ListEndpointWorkersResponse {
  const workers = activeWorkers(pods, now).map((pod): Worker => {
    const running = statusAt(pod, now) === 'RUNNING'
    const since = pod.readyAt ?? pod.lastStartedAt ?? pod.createdAt
    return {
      id: pod.id,
      status: workerStatus(pod, now),
      isStale: pod.slsVersion !== e.version,
      version: pod.slsVersion,
      gpuCount: pod.gpuCount,
      image: pod.image,
      uptimeSeconds: running ? Math.max(0, Math.floor((now - since) / 1000)) : null,
      gpuTypeId: pod.gpuTypeId,
      dataCenterId: pod.dataCenterId,
      startedAt: isoOrNull(pod.lastStartedAt),
    }
  })
  const count = (status: Worker['status']) => workers.filter((w) => w.status === status).length
  return {
    workers,
    summary: {
      running: count('RUNNING'),
      idle: count('IDLE'),
      initializing: count('INITIALIZING'),
      throttled: count('THROTTLED'),
      unhealthy: count('UNHEALTHY'),
      total: workers.length,
    },
    endpointVersion: e.version,
  }
}

/** Release history, newest first, each with what changed since the release before it. */
export function releasesView(
  e: DomainEndpoint,
  releases: readonly EndpointRelease[],
  pods: readonly Pod[],
  now: number,
): ListEndpointReleasesResponse {
  const workers = activeWorkers(pods, now)
  const onLatest = workers.filter((w) => w.slsVersion === e.version).length
  return {
    endpointVersion: e.version,
    rollout: {
      inProgress: onLatest < workers.length,
      workersOnLatest: onLatest,
      workersTotal: workers.length,
      percentOnLatest: workers.length === 0 ? 0 : Math.floor((100 * onLatest) / workers.length),
    },
    releases: releases.map((r, i) => ({
      id: r.id,
      version: r.version,
      source: 'MANUAL',
      buildId: null,
      createdByUserId: r.createdByUserId,
      workerCount: workers.filter((w) => w.slsVersion === r.version).length,
      createdAt: iso(r.createdAt),
      diff: i + 1 < releases.length ? releaseDiff(releases[i + 1]!.snapshot, r.snapshot) : [],
    })),
  }
}
