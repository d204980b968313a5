import { existsSync } from 'node:fs'
import { join } from 'node:path'
import fastifyStatic from '@fastify/static'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { App } from '../context.js'

/** Paths that belong to the APIs: they never fall back to the console's index.html. */
const API_PREFIXES = ['/v1', '/v2', '/admin', '/healthz', '/readyz']

/** Whether a built console (`vite build` output) is in `dir`. */
export function hasConsole(dir: string | undefined): dir is string {
  return dir !== undefined && existsSync(join(dir, 'index.html'))
}

/**
 * Whether a request that matched no route should get the console's index.html (a client-side
 * route such as `/pods/abc`): a GET or HEAD outside the API prefixes that accepts HTML.
 */
export function wantsConsole(request: FastifyRequest): boolean {
  if (request.method !== 'GET' && request.method !== 'HEAD') return false
  const path = request.url.split('?')[0] ?? '/'
  if (API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`))) return false
  if (/\.[a-z0-9]+$/i.test(path)) return false // a missing asset stays a 404
  return (request.headers.accept ?? '').includes('text/html')
}

/** Serves the built console at `/`: hashed assets cached for a year, index.html never cached. */
export async function consoleRoutes(app: App, dir: string): Promise<void> {
  await app.register(fastifyStatic, {
    root: dir,
    prefix: '/',
    wildcard: false,
    index: ['index.html'],
    cacheControl: false,
    setHeaders: (res, path) => {
      res.setHeader(
        'cache-control',
        path.includes('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      )
    },
  })
}

/** The SPA fallback, called by the not-found handler. */
export function sendConsole(reply: FastifyReply): FastifyReply {
  return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html')
}
