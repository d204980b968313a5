import type { FastifyReply, FastifyRequest } from 'fastify'
import { ApiError } from '../../domain/errors.js'
import { effectiveLimits, type WindowState } from '../../domain/rate-limits.js'
import type { AppContext } from '../context.js'

/** `"minute";r=59;t=12, "hour";r=2999;t=1812` (IETF ratelimit-headers, as RunPod sends them). */
const rateLimitHeader = (windows: readonly WindowState[]) =>
  windows.map((w) => `"${w.window}";r=${w.remaining};t=${w.resetIn}`).join(', ')

/** `"minute";q=60;w=60, "hour";q=3000;w=3600`. */
const policyHeader = (windows: readonly WindowState[]) =>
  windows.map((w) => `"${w.window}";q=${w.quota};w=${w.seconds}`).join(', ')

/**
 * Counts the authenticated caller's request against their quotas and reports the state on the
 * response; refuses with 429 and `Retry-After` once a window is spent. Runs after authentication.
 */
export function rateLimit(ctx: AppContext) {
  return async function limitRequest(request: FastifyRequest, reply: FastifyReply) {
    const limits = effectiveLimits(ctx.rateLimits, request.auth.rateLimits)
    const decision = await ctx.rateLimiter.hit(request.auth.userId, limits, ctx.clock.now())
    if (decision.windows.length === 0) return
    reply.header('ratelimit', rateLimitHeader(decision.windows))
    reply.header('ratelimit-policy', policyHeader(decision.windows))
    const over = decision.exceeded
    if (over) {
      throw new ApiError(429, `rate limit exceeded for the ${over.window} window`, undefined, over.resetIn)
    }
  }
}
