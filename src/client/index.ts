/**
 * `podplane/client`: a typed client for podplane's REST APIs, v1 and v2 (and RunPod's own, with
 * `PodplaneClient.runpod()`). ESM, global `fetch`, no runtime dependencies; its types come from
 * the server's TypeBox schemas.
 */
export { PodplaneClient, type PodplaneClientOptions, RUNPOD_V1_URL, RUNPOD_V2_URL } from './client.js'
export { PodplaneError, PodplaneNetworkError, PodplaneTimeoutError } from './errors.js'
export type { RequestOptions, ResponseInfo } from './http.js'
export { readServerSentEvents, type ServerSentEvent } from './sse.js'
export type { V1, V2 } from './types.js'
export type {
  V1Billing,
  V1Client,
  V1ContainerRegistryAuths,
  V1Endpoints,
  V1NetworkVolumes,
  V1Pods,
  V1Templates,
} from './v1.js'
export type {
  LogsOptions,
  PodList,
  V2Billing,
  V2Catalog,
  V2Client,
  V2Delegations,
  V2NetworkVolumes,
  V2Pods,
  V2Registries,
  V2Serverless,
  V2SshKeys,
  V2Templates,
} from './v2.js'
