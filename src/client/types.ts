import type { Static } from 'typebox'
import type * as V1Billing from '../api/v1/billing/index.js'
import type * as V1Endpoints from '../api/v1/endpoints/schemas.js'
import type * as V1Volumes from '../api/v1/network-volumes/index.js'
import type * as V1Pods from '../api/v1/pods/schemas.js'
import type * as V1RegistryAuths from '../api/v1/registry-auths/index.js'
import type * as V1Templates from '../api/v1/templates/schemas.js'
import type * as V2Account from '../api/v2/account/index.js'
import type * as V2Billing from '../api/v2/billing/schemas.js'
import type * as V2Catalog from '../api/v2/catalog/schemas.js'
import type * as V2Clusters from '../api/v2/clusters/schemas.js'
import type * as V2Volumes from '../api/v2/network-volumes/index.js'
import type * as V2Logs from '../api/v2/pods/logs.js'
import type * as V2Pods from '../api/v2/pods/schemas.js'
import type * as V2Delegations from '../api/v2/registries/delegations.js'
import type * as V2Registries from '../api/v2/registries/index.js'
import type * as V2Serverless from '../api/v2/serverless/schemas.js'
import type * as V2Templates from '../api/v2/templates/schemas.js'

/**
 * Request and response types, derived from the server's own TypeBox schemas (type-only imports:
 * nothing of the server runs in the client). A few request bodies are declared inline in their
 * route modules, without an export; those are built here from the exported response schemas.
 */

/** Query parameters with server-side defaults are optional for a caller. */
type Query<T> = Partial<T>

export namespace V1 {
  export type Pod = V1Pods.Pod
  export type PodCreateInput = V1Pods.PodCreateInput
  export type PodUpdateInput = V1Pods.PodUpdateInput
  export type ListPodsQuery = V1Pods.ListPodsQuery
  export type GetPodQuery = V1Pods.GetPodQuery

  export type Template = V1Templates.Template
  export type TemplateCreateInput = Static<typeof V1Templates.TemplateCreateInput>
  export type TemplateUpdateInput = Static<typeof V1Templates.TemplateUpdateInput>
  export type TemplateVisibilityQuery = Static<typeof V1Templates.TemplateVisibilityQuery>

  export type Endpoint = V1Endpoints.Endpoint
  export type EndpointCreateInput = Static<typeof V1Endpoints.EndpointCreateInput>
  export type EndpointUpdateInput = Static<typeof V1Endpoints.EndpointUpdateInput>
  export type EndpointIncludes = Static<typeof V1Endpoints.EndpointIncludes>

  export type NetworkVolume = Static<typeof V1Volumes.NetworkVolume>
  export type NetworkVolumeCreateInput = Static<typeof V1Volumes.NetworkVolumeCreateInput>
  /** Rename, or grow (`size` never shrinks). */
  export type NetworkVolumeUpdateInput = Static<typeof V1Volumes.NetworkVolumeUpdateInput>

  export type ContainerRegistryAuth = Static<typeof V1RegistryAuths.ContainerRegistryAuth>

  export type BillingRecord = Static<typeof V1Billing.BillingRecord>
  export type NetworkVolumeBillingRecord = Static<typeof V1Billing.NetworkVolumeBillingRecord>

  export type ContainerRegistryAuthCreateInput = Static<
    typeof V1RegistryAuths.ContainerRegistryAuthCreateInput
  >
  export type PodBillingQuery = Query<Static<typeof V1Billing.PodBillingQuery>>
  export type EndpointBillingQuery = Query<Static<typeof V1Billing.EndpointBillingQuery>>
  export type NetworkVolumeBillingQuery = Query<Static<typeof V1Billing.NetworkVolumeBillingQuery>>
}

export namespace V2 {
  export type Pod = V2Pods.Pod
  export type PodStatus = Pod['status']
  export type PodAction = V2Pods.V2PodAction
  export type CreatePodBody = V2Pods.CreatePodBody
  export type UpdatePodBody = V2Pods.UpdatePodBody
  export type ListPodsQuery = Query<Static<typeof V2Pods.ListPodsQuery>>
  export type ListPodsResponse = Static<typeof V2Pods.ListPodsResponse>
  export type LogsQuery = Query<V2Logs.LogsQuery>
  /** One log line of a pod (or serverless worker), from the SSE stream. */
  export interface LogEvent {
    /** The event id (`<time>/<sequence>`): pass it as `lastEventId` to resume after this line. */
    readonly id: string
    readonly ts: string
    readonly source: NonNullable<V2Logs.LogsQuery['source']>
    readonly line: string
  }

  export type Endpoint = V2Serverless.Endpoint
  export type CreateEndpointBody = V2Serverless.CreateEndpointBody
  export type UpdateEndpointBody = V2Serverless.UpdateEndpointBody
  export type ListEndpointsResponse = Static<typeof V2Serverless.ListEndpointsResponse>
  export type Worker = V2Serverless.Worker
  export type ListEndpointWorkersResponse = V2Serverless.ListEndpointWorkersResponse
  export type ListEndpointReleasesResponse = V2Serverless.ListEndpointReleasesResponse

  export type Template = V2Templates.Template
  export type CreateTemplateBody = V2Templates.CreateTemplateBody
  export type UpdateTemplateBody = V2Templates.UpdateTemplateBody
  export type ListTemplatesResponse = Static<typeof V2Templates.ListTemplatesResponse>
  export type CatalogTemplatesQuery = Static<typeof V2Templates.CatalogTemplatesQuery>

  export type NetworkVolume = Static<typeof V2Volumes.NetworkVolume>
  export type CreateNetworkVolumeBody = Static<typeof V2Volumes.CreateNetworkVolumeBody>
  export type UpdateNetworkVolumeBody = Static<typeof V2Volumes.UpdateNetworkVolumeBody>

  export type Cluster = V2Clusters.Cluster
  export type CreateClusterBody = V2Clusters.CreateClusterBody
  export type ListClustersResponse = Static<typeof V2Clusters.ListClustersResponse>

  export type GpuType = V2Catalog.GpuType
  export type CpuType = V2Catalog.CpuType
  export type DataCenter = V2Catalog.DataCenter
  export type GpuTypesQuery = V2Catalog.GpuTypesQuery
  export type CpuTypesQuery = V2Catalog.CpuTypesQuery
  export type DataCentersQuery = V2Catalog.DataCentersQuery
  export type DataCenterQuery = Static<typeof V2Catalog.DataCenterQuery>
  export type ListGpuTypesResponse = Static<typeof V2Catalog.ListGpuTypesResponse>
  export type ListCpuTypesResponse = Static<typeof V2Catalog.ListCpuTypesResponse>
  export type ListDataCentersResponse = Static<typeof V2Catalog.ListDataCentersResponse>

  export type BillingQuery = Query<Static<typeof V2Billing.BillingQuery>>
  export type PodBillingQuery = Query<Static<typeof V2Billing.PodBillingQuery>>
  export type ServerlessBillingQuery = Query<Static<typeof V2Billing.ServerlessBillingQuery>>
  export type NetworkVolumeBillingQuery = Query<Static<typeof V2Billing.NetworkVolumeBillingQuery>>
  export type ClusterBillingQuery = Query<Static<typeof V2Billing.ClusterBillingQuery>>
  export type ListBillingResponse = Static<typeof V2Billing.ListBillingResponse>
  export type ListPodBillingResponse = Static<typeof V2Billing.ListPodBillingResponse>
  export type ListServerlessBillingResponse = Static<typeof V2Billing.ListServerlessBillingResponse>
  export type ListEndpointBillingResponse = Static<typeof V2Billing.ListEndpointBillingResponse>
  export type ListNetworkVolumeBillingResponse = Static<typeof V2Billing.ListNetworkVolumeBillingResponse>
  export type ListClusterBillingResponse = Static<typeof V2Billing.ListClusterBillingResponse>

  export type Registry = Static<typeof V2Registries.Registry>
  export type CreateRegistryBody = Static<typeof V2Registries.CreateRegistryBody>
  export type EcrDelegation = Static<typeof V2Delegations.EcrDelegation>
  export type CreateDelegationBody = Static<typeof V2Delegations.CreateDelegationBody>
  export type SshKeys = Static<typeof V2Account.SshKeys>
  export type UpdateSshKeysBody = Static<typeof V2Account.UpdateSshKeysBody>
}
