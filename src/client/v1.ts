import type { RequestOptions, Transport } from './http.js'
import type { V1 } from './types.js'

const id = (value: string) => encodeURIComponent(value)

/** `/pods`: RunPod's v1 pods, with every ListPods filter and include flag. */
export class V1Pods {
  constructor(private readonly http: Transport) {}

  /**
   * Lists pods, newest first. Array filters go out as repeated keys, as RunPod's v1 expects.
   * @example await client.v1.pods.list({ gpuTypeId: ['NVIDIA GeForce RTX 4090'], desiredStatus: 'RUNNING' })
   */
  list(query: V1.ListPodsQuery = {}, options?: RequestOptions): Promise<V1.Pod[]> {
    return this.http.json('GET', '/pods', { ...options, query })
  }

  /** @example await client.v1.pods.get(podId, { includeMachine: true }) */
  get(podId: string, query: V1.GetPodQuery = {}, options?: RequestOptions): Promise<V1.Pod> {
    return this.http.json('GET', `/pods/${id(podId)}`, { ...options, query })
  }

  /** Creates and places a pod (201). Not retried on network errors: a POST may have landed. */
  create(body: V1.PodCreateInput, options?: RequestOptions): Promise<V1.Pod> {
    return this.http.json('POST', '/pods', { ...options, body })
  }

  /** PATCH: container changes reset a running pod. */
  update(podId: string, body: V1.PodUpdateInput, options?: RequestOptions): Promise<V1.Pod> {
    return this.http.json('PATCH', `/pods/${id(podId)}`, { ...options, body })
  }

  start(podId: string, options?: RequestOptions): Promise<V1.Pod> {
    return this.http.json('POST', `/pods/${id(podId)}/start`, options)
  }

  stop(podId: string, options?: RequestOptions): Promise<V1.Pod> {
    return this.http.json('POST', `/pods/${id(podId)}/stop`, options)
  }

  restart(podId: string, options?: RequestOptions): Promise<V1.Pod> {
    return this.http.json('POST', `/pods/${id(podId)}/restart`, options)
  }

  reset(podId: string, options?: RequestOptions): Promise<V1.Pod> {
    return this.http.json('POST', `/pods/${id(podId)}/reset`, options)
  }

  /** Terminates the pod (204). */
  async delete(podId: string, options?: RequestOptions): Promise<void> {
    await this.http.json('DELETE', `/pods/${id(podId)}`, options)
  }
}

/** `/templates`: the caller's templates, plus public / official / endpoint-bound ones on request. */
export class V1Templates {
  constructor(private readonly http: Transport) {}

  list(query: V1.TemplateVisibilityQuery = {}, options?: RequestOptions): Promise<V1.Template[]> {
    return this.http.json('GET', '/templates', { ...options, query })
  }

  get(
    templateId: string,
    query: V1.TemplateVisibilityQuery = {},
    options?: RequestOptions,
  ): Promise<V1.Template> {
    return this.http.json('GET', `/templates/${id(templateId)}`, { ...options, query })
  }

  create(body: V1.TemplateCreateInput, options?: RequestOptions): Promise<V1.Template> {
    return this.http.json('POST', '/templates', { ...options, body })
  }

  update(templateId: string, body: V1.TemplateUpdateInput, options?: RequestOptions): Promise<V1.Template> {
    return this.http.json('PATCH', `/templates/${id(templateId)}`, { ...options, body })
  }

  async delete(templateId: string, options?: RequestOptions): Promise<void> {
    await this.http.json('DELETE', `/templates/${id(templateId)}`, options)
  }
}

/** `/networkvolumes`. */
export class V1NetworkVolumes {
  constructor(private readonly http: Transport) {}

  list(options?: RequestOptions): Promise<V1.NetworkVolume[]> {
    return this.http.json('GET', '/networkvolumes', options)
  }

  get(networkVolumeId: string, options?: RequestOptions): Promise<V1.NetworkVolume> {
    return this.http.json('GET', `/networkvolumes/${id(networkVolumeId)}`, options)
  }

  create(body: V1.NetworkVolumeCreateInput, options?: RequestOptions): Promise<V1.NetworkVolume> {
    return this.http.json('POST', '/networkvolumes', { ...options, body })
  }

  update(
    networkVolumeId: string,
    body: V1.NetworkVolumeUpdateInput,
    options?: RequestOptions,
  ): Promise<V1.NetworkVolume> {
    return this.http.json('PATCH', `/networkvolumes/${id(networkVolumeId)}`, { ...options, body })
  }

  async delete(networkVolumeId: string, options?: RequestOptions): Promise<void> {
    await this.http.json('DELETE', `/networkvolumes/${id(networkVolumeId)}`, options)
  }
}

/** `/containerregistryauth`: credentials for private images; only id and name come back. */
export class V1ContainerRegistryAuths {
  constructor(private readonly http: Transport) {}

  list(options?: RequestOptions): Promise<V1.ContainerRegistryAuth[]> {
    return this.http.json('GET', '/containerregistryauth', options)
  }

  get(containerRegistryAuthId: string, options?: RequestOptions): Promise<V1.ContainerRegistryAuth> {
    return this.http.json('GET', `/containerregistryauth/${id(containerRegistryAuthId)}`, options)
  }

  create(
    body: V1.ContainerRegistryAuthCreateInput,
    options?: RequestOptions,
  ): Promise<V1.ContainerRegistryAuth> {
    return this.http.json('POST', '/containerregistryauth', { ...options, body })
  }

  async delete(containerRegistryAuthId: string, options?: RequestOptions): Promise<void> {
    await this.http.json('DELETE', `/containerregistryauth/${id(containerRegistryAuthId)}`, options)
  }
}

/** `/endpoints`: serverless endpoints. */
export class V1Endpoints {
  constructor(private readonly http: Transport) {}

  list(query: V1.EndpointIncludes = {}, options?: RequestOptions): Promise<V1.Endpoint[]> {
    return this.http.json('GET', '/endpoints', { ...options, query })
  }

  get(endpointId: string, query: V1.EndpointIncludes = {}, options?: RequestOptions): Promise<V1.Endpoint> {
    return this.http.json('GET', `/endpoints/${id(endpointId)}`, { ...options, query })
  }

  create(body: V1.EndpointCreateInput, options?: RequestOptions): Promise<V1.Endpoint> {
    return this.http.json('POST', '/endpoints', { ...options, body })
  }

  update(endpointId: string, body: V1.EndpointUpdateInput, options?: RequestOptions): Promise<V1.Endpoint> {
    return this.http.json('PATCH', `/endpoints/${id(endpointId)}`, { ...options, body })
  }

  async delete(endpointId: string, options?: RequestOptions): Promise<void> {
    await this.http.json('DELETE', `/endpoints/${id(endpointId)}`, options)
  }
}

/** `/billing/*`: spend in time buckets. */
export class V1Billing {
  constructor(private readonly http: Transport) {}

  pods(query: V1.PodBillingQuery = {}, options?: RequestOptions): Promise<V1.BillingRecord[]> {
    return this.http.json('GET', '/billing/pods', { ...options, query })
  }

  endpoints(query: V1.EndpointBillingQuery = {}, options?: RequestOptions): Promise<V1.BillingRecord[]> {
    return this.http.json('GET', '/billing/endpoints', { ...options, query })
  }

  networkVolumes(
    query: V1.NetworkVolumeBillingQuery = {},
    options?: RequestOptions,
  ): Promise<V1.NetworkVolumeBillingRecord[]> {
    return this.http.json('GET', '/billing/networkvolumes', { ...options, query })
  }
}

/** RunPod's REST v1 (`https://rest.runpod.io/v1`, podplane's `/v1`). */
export class V1Client {
  readonly pods: V1Pods
  readonly templates: V1Templates
  readonly networkVolumes: V1NetworkVolumes
  readonly containerRegistryAuths: V1ContainerRegistryAuths
  readonly endpoints: V1Endpoints
  readonly billing: V1Billing

  constructor(http: Transport) {
    this.pods = new V1Pods(http)
    this.templates = new V1Templates(http)
    this.networkVolumes = new V1NetworkVolumes(http)
    this.containerRegistryAuths = new V1ContainerRegistryAuths(http)
    this.endpoints = new V1Endpoints(http)
    this.billing = new V1Billing(http)
  }
}
