import type { FastifyRequest, RouteOptions } from 'fastify'
import { badRequest } from '../../../domain/errors.js'
import type { App } from '../../context.js'

/** Where each billing filter belongs, so a misplaced one is named with the route that takes it. */
const FILTER_ROUTES: Readonly<Record<string, string>> = {
  podId: '/v2/billing/pods',
  serverlessId: '/v2/billing/serverless',
  networkVolumeId: '/v2/billing/network-volumes',
  clusterId: '/v2/billing/clusters',
}

/**
 * Billing queries take only the parameters their route defines. A filter the route does not have
 * (`podId` on /v2/billing, v1's `gpuTypeId` or `grouping`) would otherwise be ignored and the
 * answer would silently cover all of the user's spend, so it is a 400 naming the parameter.
 * The values are well-formed (a 422 is for those that are not); the rule broken is which
 * parameters go together, like lastN with startTime.
 */
export function onlyOwnFilters(v2: App): void {
  v2.addHook('onRoute', (route: RouteOptions) => {
    if (!route.url?.startsWith('/v2/billing')) return
    const properties = (route.schema?.querystring as { properties?: Record<string, unknown> } | undefined)
      ?.properties
    const known = new Set(Object.keys(properties ?? {}))
    const path = route.url
    const check = async (request: FastifyRequest) => {
      for (const name of Object.keys((request.query ?? {}) as object)) {
        if (known.has(name)) continue
        const belongs = FILTER_ROUTES[name]
        const hint = belongs ? `; ${name} filters ${belongs}` : ''
        throw badRequest(`${name}: not a parameter of ${path} (it takes ${[...known].join(', ')})${hint}`)
      }
    }
    const existing = route.preHandler
    route.preHandler = existing === undefined ? [check] : [...[existing].flat(), check]
  })
}
