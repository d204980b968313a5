/**
 * The one catalogue of errors the API can answer with. Each factory fixes the HTTP status
 * and the wording; the HTTP layer renders them as RunPod's body `{"error": "...", "status": N}`.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /**
     * What kind of refusal this is, where API versions answer it differently: v1 keeps RunPod's
     * 400/500, v2 answers a conflict with the pod's state as 409 and no capacity as 400.
     */
    readonly kind?: 'conflict' | 'no-capacity',
    /** Seconds a client should wait before retrying (429, 503). */
    readonly retryAfter?: number,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export const badRequest = (message: string) => new ApiError(400, message)
export const unauthorized = (message: string) => new ApiError(401, message)
export const forbidden = (message: string) => new ApiError(403, message)
export const notFound = (what: string) => new ApiError(404, `${what} not found`)

export const podNotFound = () => notFound('pod')

/**
 * RunPod answers 500 with this text when no machine can take the pod; clients match on both
 * the status and the text, so podplane keeps both.
 */
export const noInstancesAvailable = () =>
  new ApiError(500, 'create pod: There are no instances currently available', 'no-capacity')

/** No single data center can take every member of a cluster (gang scheduling). */
export const noClusterCapacity = (podCount: number) =>
  new ApiError(
    500,
    `create cluster: no data center currently has room for all ${podCount} pods`,
    'no-capacity',
  )

/** RunPod's wording when a stopped pod's GPUs were taken by someone else meanwhile. */
export const notEnoughGpusToStart = () =>
  new ApiError(400, 'There are not enough free GPUs on the host machine to start this pod.', 'conflict')

export const invalidTransition = (action: string, status: string) =>
  new ApiError(400, `cannot ${action} pod: pod is ${status.toLowerCase()}`, 'conflict')

export const podLocked = (action: string) =>
  new ApiError(400, `cannot ${action} pod: pod is locked; set locked to false first`, 'conflict')
