import type { RequestOptions, Transport } from './http.js'
import { readServerSentEvents } from './sse.js'
import type { V2 } from './types.js'

const id = (value: string) => encodeURIComponent(value)

/** What a log stream takes: the query (`source`, `tail`, `since`, `follow`), a resume point and call options. */
export type LogsOptions = V2.LogsQuery &
  RequestOptions & {
    /** Resume after this event id (or date-time), sent as `Last-Event-ID`. */
    readonly lastEventId?: string
  }

/** Opens an SSE log stream and yields its lines; leaving the loop closes the connection. */
async function* logLines(http: Transport, path: string, options: LogsOptions): AsyncGenerator<V2.LogEvent> {
  const { source, tail, since, follow, lastEventId, headers, ...call } = options
  const response = await http.stream('GET', path, {
    ...call,
    query: { source, tail, since, follow },
    headers: { ...headers, ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) },
  })
  const events = readServerSentEvents(response, { method: 'GET', url: http.url(path), signal: call.signal })
  for await (const event of events) {
    const data = JSON.parse(event.data) as Omit<V2.LogEvent, 'id'>
    yield { id: event.id ?? '', ts: data.ts, source: data.source, line: data.line }
  }
}

/**
 * Every pod of a `list()`, page after page following `pagination.nextCursor`. Pages are fetched
 * as the loop reaches them; a cursor stays valid under concurrent creates and deletes.
 */
export class PodList implements AsyncIterable<V2.Pod> {
  constructor(
    private readonly pods: V2Pods,
    private readonly query: V2.ListPodsQuery,
    private readonly options: RequestOptions | undefined,
  ) {}

  /** The pages themselves, for callers that want `pagination` too. */
  async *pages(): AsyncGenerator<V2.ListPodsResponse> {
    let cursor = this.query.cursor
    for (;;) {
      const page = await this.pods.page({ ...this.query, cursor }, this.options)
      yield page
      const next = page.pagination.nextCursor
      if (!page.pagination.hasNextPage || next === null) return
      cursor = next
    }
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<V2.Pod> {
    for await (const page of this.pages()) yield* page.pods
  }

  /** Every pod, all pages read. */
  async toArray(): Promise<V2.Pod[]> {
    const all: V2.Pod[] = []
    for await (const pod of this) all.push(pod)
    return all
  }
}

/** `/v2/pods`. */
export class V2Pods {
  constructor(private readonly http: Transport) {}

  /** One page, newest first: `{pods, pagination: {nextCursor, hasNextPage}}`. */
  page(query: V2.ListPodsQuery = {}, options?: RequestOptions): Promise<V2.ListPodsResponse> {
    return this.http.json('GET', '/pods', { ...options, query })
  }

  /**
   * Every pod, across pages.
   * @example for await (const pod of client.v2.pods.list({ limit: 100 })) console.log(pod.id, pod.status)
   */
  list(query: V2.ListPodsQuery = {}, options?: RequestOptions): PodList {
    return new PodList(this, query, options)
  }

  get(podId: string, options?: RequestOptions): Promise<V2.Pod> {
    return this.http.json('GET', `/pods/${id(podId)}`, options)
  }

  /** @example await client.v2.pods.create({ name: 'trainer', image: 'runpod/base:0.6.2', gpu: { id: 'NVIDIA A40' } }) */
  create(body: V2.CreatePodBody, options?: RequestOptions): Promise<V2.Pod> {
    return this.http.json('POST', '/pods', { ...options, body })
  }

  update(podId: string, body: V2.UpdatePodBody, options?: RequestOptions): Promise<V2.Pod> {
    return this.http.json('PATCH', `/pods/${id(podId)}`, { ...options, body })
  }

  /** `start`, `stop`, `restart` answer with the pod; `terminate` answers nothing (undefined). */
  action(podId: string, action: 'start' | 'stop' | 'restart', options?: RequestOptions): Promise<V2.Pod>
  action(podId: string, action: 'terminate', options?: RequestOptions): Promise<undefined>
  action(podId: string, action: V2.PodAction, options?: RequestOptions): Promise<V2.Pod | undefined>
  action(podId: string, action: V2.PodAction, options?: RequestOptions): Promise<V2.Pod | undefined> {
    return this.http.json('POST', `/pods/${id(podId)}/action`, { ...options, body: { action } })
  }

  start(podId: string, options?: RequestOptions): Promise<V2.Pod> {
    return this.action(podId, 'start', options)
  }

  stop(podId: string, options?: RequestOptions): Promise<V2.Pod> {
    return this.action(podId, 'stop', options)
  }

  restart(podId: string, options?: RequestOptions): Promise<V2.Pod> {
    return this.action(podId, 'restart', options)
  }

  async terminate(podId: string, options?: RequestOptions): Promise<void> {
    await this.action(podId, 'terminate', options)
  }

  async delete(podId: string, options?: RequestOptions): Promise<void> {
    await this.http.json('DELETE', `/pods/${id(podId)}`, options)
  }

  /**
   * The pod's log lines as they arrive (Server-Sent Events). With `follow: false` the stream
   * ends after what there is; by default it stays open until the pod is gone or the loop ends.
   * @example for await (const { ts, line } of client.v2.pods.logs(podId, { tail: 50, follow: false })) console.log(ts, line)
   */
  logs(podId: string, options: LogsOptions = {}): AsyncGenerator<V2.LogEvent> {
    return logLines(this.http, `/pods/${id(podId)}/logs`, options)
  }
}

/** `/v2/serverless`: endpoints, their workers and releases. */
export class V2Serverless {
  constructor(private readonly http: Transport) {}

  list(options?: RequestOptions): Promise<V2.ListEndpointsResponse> {
    return this.http.json('GET', '/serverless', options)
  }

  get(endpointId: string, options?: RequestOptions): Promise<V2.Endpoint> {
    return this.http.json('GET', `/serverless/${id(endpointId)}`, options)
  }

  create(body: V2.CreateEndpointBody, options?: RequestOptions): Promise<V2.Endpoint> {
    return this.http.json('POST', '/serverless', { ...options, body })
  }

  update(endpointId: string, body: V2.UpdateEndpointBody, options?: RequestOptions): Promise<V2.Endpoint> {
    return this.http.json('PATCH', `/serverless/${id(endpointId)}`, { ...options, body })
  }

  async delete(endpointId: string, options?: RequestOptions): Promise<void> {
    await this.http.json('DELETE', `/serverless/${id(endpointId)}`, options)
  }

  workers(endpointId: string, options?: RequestOptions): Promise<V2.ListEndpointWorkersResponse> {
    return this.http.json('GET', `/serverless/${id(endpointId)}/workers`, options)
  }

  releases(endpointId: string, options?: RequestOptions): Promise<V2.ListEndpointReleasesResponse> {
    return this.http.json('GET', `/serverless/${id(endpointId)}/releases`, options)
  }

  /** A worker's log lines, as `pods.logs`. */
  workerLogs(endpointId: string, workerId: string, options: LogsOptions = {}): AsyncGenerator<V2.LogEvent> {
    return logLines(this.http, `/serverless/${id(endpointId)}/workers/${id(workerId)}/logs`, options)
  }
}

/** `/v2/templates` and the template catalog. */
export class V2Templates {
  constructor(private readonly http: Transport) {}

  list(options?: RequestOptions): Promise<V2.ListTemplatesResponse> {
    return this.http.json('GET', '/templates', options)
  }

  get(templateId: string, options?: RequestOptions): Promise<V2.Template> {
    return this.http.json('GET', `/templates/${id(templateId)}`, options)
  }

  create(body: V2.CreateTemplateBody, options?: RequestOptions): Promise<V2.Template> {
    return this.http.json('POST', '/templates', { ...options, body })
  }

  update(templateId: string, body: V2.UpdateTemplateBody, options?: RequestOptions): Promise<V2.Template> {
    return this.http.json('PATCH', `/templates/${id(templateId)}`, { ...options, body })
  }

  async delete(templateId: string, options?: RequestOptions): Promise<void> {
    await this.http.json('DELETE', `/templates/${id(templateId)}`, options)
  }

  /** `GET /v2/catalog/templates`: official, verified or community templates. */
  catalog(query: V2.CatalogTemplatesQuery = {}, options?: RequestOptions): Promise<V2.ListTemplatesResponse> {
    return this.http.json('GET', '/catalog/templates', { ...options, query })
  }
}

/** `/v2/network-volumes`. */
export class V2NetworkVolumes {
  constructor(private readonly http: Transport) {}

  list(options?: RequestOptions): Promise<{ networkVolumes: V2.NetworkVolume[] }> {
    return this.http.json('GET', '/network-volumes', options)
  }

  get(networkVolumeId: string, options?: RequestOptions): Promise<V2.NetworkVolume> {
    return this.http.json('GET', `/network-volumes/${id(networkVolumeId)}`, options)
  }

  create(body: V2.CreateNetworkVolumeBody, options?: RequestOptions): Promise<V2.NetworkVolume> {
    return this.http.json('POST', '/network-volumes', { ...options, body })
  }

  update(
    networkVolumeId: string,
    body: V2.UpdateNetworkVolumeBody,
    options?: RequestOptions,
  ): Promise<V2.NetworkVolume> {
    return this.http.json('PATCH', `/network-volumes/${id(networkVolumeId)}`, { ...options, body })
  }

  async delete(networkVolumeId: string, options?: RequestOptions): Promise<void> {
    await this.http.json('DELETE', `/network-volumes/${id(networkVolumeId)}`, options)
  }
}

/** `/v2/registries/delegations`: ECR repositories podplane may pull from. */
export class V2Delegations {
  constructor(private readonly http: Transport) {}

  list(options?: RequestOptions): Promise<{ delegations: V2.EcrDelegation[] }> {
    return this.http.json('GET', '/registries/delegations', options)
  }

  create(body: V2.CreateDelegationBody, options?: RequestOptions): Promise<V2.EcrDelegation> {
    return this.http.json('POST', '/registries/delegations', { ...options, body })
  }

  async delete(delegationId: string, options?: RequestOptions): Promise<void> {
    await this.http.json('DELETE', `/registries/delegations/${id(delegationId)}`, options)
  }
}

/** `/v2/registries`: container registry credentials (v1's registry auths). */
export class V2Registries {
  readonly delegations: V2Delegations

  constructor(private readonly http: Transport) {
    this.delegations = new V2Delegations(http)
  }

  list(options?: RequestOptions): Promise<{ registries: V2.Registry[] }> {
    return this.http.json('GET', '/registries', options)
  }

  get(registryId: string, options?: RequestOptions): Promise<V2.Registry> {
    return this.http.json('GET', `/registries/${id(registryId)}`, options)
  }

  create(body: V2.CreateRegistryBody, options?: RequestOptions): Promise<V2.Registry> {
    return this.http.json('POST', '/registries', { ...options, body })
  }

  async delete(registryId: string, options?: RequestOptions): Promise<void> {
    await this.http.json('DELETE', `/registries/${id(registryId)}`, options)
  }
}

/** `/v2/catalog`: GPU types, CPU flavors and data centers, with live availability on request. */
export class V2Catalog {
  constructor(private readonly http: Transport) {}

  /** @example await client.v2.catalog.gpus({ include: ['AVAILABILITY'], product: ['POD'], count: 2 }) */
  gpus(query: V2.GpuTypesQuery = {}, options?: RequestOptions): Promise<V2.ListGpuTypesResponse> {
    return this.http.json('GET', '/catalog/gpus', { ...options, query })
  }

  gpu(gpuTypeId: string, query: V2.GpuTypesQuery = {}, options?: RequestOptions): Promise<V2.GpuType> {
    return this.http.json('GET', `/catalog/gpus/${id(gpuTypeId)}`, { ...options, query })
  }

  cpus(query: V2.CpuTypesQuery = {}, options?: RequestOptions): Promise<V2.ListCpuTypesResponse> {
    return this.http.json('GET', '/catalog/cpus', { ...options, query })
  }

  cpu(cpuTypeId: string, query: V2.CpuTypesQuery = {}, options?: RequestOptions): Promise<V2.CpuType> {
    return this.http.json('GET', `/catalog/cpus/${id(cpuTypeId)}`, { ...options, query })
  }

  dataCenters(
    query: V2.DataCentersQuery = {},
    options?: RequestOptions,
  ): Promise<V2.ListDataCentersResponse> {
    return this.http.json('GET', '/catalog/datacenters', { ...options, query })
  }

  dataCenter(
    dataCenterId: string,
    query: V2.DataCenterQuery = {},
    options?: RequestOptions,
  ): Promise<V2.DataCenter> {
    return this.http.json('GET', `/catalog/datacenters/${id(dataCenterId)}`, { ...options, query })
  }
}

/** `/v2/billing/*`: `{records, metadata}` per route. */
export class V2Billing {
  constructor(private readonly http: Transport) {}

  /** `GET /v2/billing`: every kind of spend together. */
  summary(query: V2.BillingQuery = {}, options?: RequestOptions): Promise<V2.ListBillingResponse> {
    return this.http.json('GET', '/billing', { ...options, query })
  }

  pods(query: V2.PodBillingQuery = {}, options?: RequestOptions): Promise<V2.ListPodBillingResponse> {
    return this.http.json('GET', '/billing/pods', { ...options, query })
  }

  serverless(
    query: V2.ServerlessBillingQuery = {},
    options?: RequestOptions,
  ): Promise<V2.ListServerlessBillingResponse> {
    return this.http.json('GET', '/billing/serverless', { ...options, query })
  }

  endpoints(query: V2.BillingQuery = {}, options?: RequestOptions): Promise<V2.ListEndpointBillingResponse> {
    return this.http.json('GET', '/billing/endpoints', { ...options, query })
  }

  networkVolumes(
    query: V2.NetworkVolumeBillingQuery = {},
    options?: RequestOptions,
  ): Promise<V2.ListNetworkVolumeBillingResponse> {
    return this.http.json('GET', '/billing/network-volumes', { ...options, query })
  }

  clusters(
    query: V2.ClusterBillingQuery = {},
    options?: RequestOptions,
  ): Promise<V2.ListClusterBillingResponse> {
    return this.http.json('GET', '/billing/clusters', { ...options, query })
  }
}

/** `/v2/account/ssh-keys`: the keys pods created with `startSsh` receive. */
export class V2SshKeys {
  constructor(private readonly http: Transport) {}

  async get(options?: RequestOptions): Promise<string[]> {
    return (await this.http.json<V2.SshKeys>('GET', '/account/ssh-keys', options)).keys
  }

  /** Replaces the whole set (`[]` removes all) and answers the new set. */
  async set(keys: readonly string[], options?: RequestOptions): Promise<string[]> {
    return (await this.http.json<V2.SshKeys>('PUT', '/account/ssh-keys', { ...options, body: { keys } })).keys
  }
}

/** `/v2/clusters`: Instant Clusters, groups of identical GPU pods placed together. */
export class V2Clusters {
  constructor(private readonly http: Transport) {}

  list(options?: RequestOptions): Promise<V2.ListClustersResponse> {
    return this.http.json('GET', '/clusters', options)
  }

  get(clusterId: string, options?: RequestOptions): Promise<V2.Cluster> {
    return this.http.json('GET', `/clusters/${id(clusterId)}`, options)
  }

  /** Places every member in one data center, or none: a 400 when no data center has room. */
  create(body: V2.CreateClusterBody, options?: RequestOptions): Promise<V2.Cluster> {
    return this.http.json('POST', '/clusters', { ...options, body })
  }

  /** Renames the cluster: its name is all that can change. */
  rename(clusterId: string, name: string, options?: RequestOptions): Promise<V2.Cluster> {
    return this.http.json('PATCH', `/clusters/${id(clusterId)}`, { ...options, body: { name } })
  }

  /** Terminates every member, then the cluster. */
  async delete(clusterId: string, options?: RequestOptions): Promise<void> {
    await this.http.json('DELETE', `/clusters/${id(clusterId)}`, options)
  }

  /** The members as full pods, by rank. */
  pods(clusterId: string, options?: RequestOptions): Promise<V2.ListPodsResponse> {
    return this.http.json('GET', `/clusters/${id(clusterId)}/pods`, options)
  }
}

/** RunPod's REST v2 (`https://api.runpod.io/v2`, podplane's `/v2`). */
export class V2Client {
  readonly pods: V2Pods
  readonly serverless: V2Serverless
  readonly templates: V2Templates
  readonly networkVolumes: V2NetworkVolumes
  readonly registries: V2Registries
  readonly clusters: V2Clusters
  readonly catalog: V2Catalog
  readonly billing: V2Billing
  readonly account: { readonly sshKeys: V2SshKeys }

  constructor(http: Transport) {
    this.pods = new V2Pods(http)
    this.serverless = new V2Serverless(http)
    this.templates = new V2Templates(http)
    this.networkVolumes = new V2NetworkVolumes(http)
    this.registries = new V2Registries(http)
    this.clusters = new V2Clusters(http)
    this.catalog = new V2Catalog(http)
    this.billing = new V2Billing(http)
    this.account = { sshKeys: new V2SshKeys(http) }
  }
}
