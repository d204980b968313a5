import { readFileSync } from 'node:fs'
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import addFormats from 'ajv-formats'

/**
 * Validates real v2 responses against RunPod's vendored REST v2 spec
 * (spec/runpod-openapi-v2.json, OpenAPI 3.1 / JSON Schema 2020-12): the body against the schema
 * of the matching path, method and status; errors as problem+json; and the headers v2 promises
 * (rate-limit state on authenticated responses, `Allow` on 405, `Retry-After` on 429).
 */
const spec = JSON.parse(readFileSync(new URL('../../spec/runpod-openapi-v2.json', import.meta.url), 'utf8'))
const ajv = new Ajv2020({ strict: false, allErrors: true })
addFormats.default(ajv)
ajv.addFormat('float', true)
ajv.addFormat('double', true)
ajv.addFormat('int32', true)
ajv.addFormat('int64', true)
ajv.addSchema(spec, 'runpod-v2')

const routes = Object.keys(spec.paths).map((template: string) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  literalLength: template.replace(/\{[^}]+\}/g, '').length,
}))

const compiled = new Map<string, ValidateFunction | null>()

function routeOf(path: string) {
  return routes.filter((r) => r.pattern.test(path)).sort((a, b) => b.literalLength - a.literalLength)[0]
}

function schemaFor(path: string, method: string, status: number): ValidateFunction | null {
  const route = routeOf(path)
  if (!route) return null
  const key = `${route.template} ${method} ${status}`
  if (!compiled.has(key)) {
    const response = spec.paths[route.template]?.[method.toLowerCase()]?.responses?.[String(status)]
    const pointer = `runpod-v2#/paths/${route.template.replace(/~/g, '~0').replace(/\//g, '~1')}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`
    compiled.set(key, response?.content?.['application/json']?.schema ? ajv.getSchema(pointer)! : null)
  }
  return compiled.get(key)!
}

const validateProblem = () => ajv.getSchema('runpod-v2#/components/schemas/ErrorResponse')!
const RATE_LIMIT = /^"(minute|hour|day)";r=\d+;t=\d+(, "(minute|hour|day)";r=\d+;t=\d+)*$/
const RATE_POLICY = /^"(minute|hour|day)";q=\d+;w=\d+(, "(minute|hour|day)";q=\d+;w=\d+)*$/

export interface V2Exchange {
  readonly method: string
  readonly url: string
  readonly status: number
  readonly body: unknown
  readonly headers: Record<string, unknown>
  /** Whether the request carried a valid key and the server meters this caller. */
  readonly metered: boolean
}

/** Throws with what is wrong when a v2 response breaks the spec. */
export function assertMatchesV2Spec(x: V2Exchange): void {
  const where = `${x.method} ${x.url} → ${x.status}`
  const path = x.url.split('?')[0]!
  const type = String(x.headers['content-type'] ?? '')
  if (x.metered && x.status !== 401) {
    if (!RATE_LIMIT.test(String(x.headers.ratelimit)))
      throw new Error(`${where}: RateLimit header missing or malformed: ${x.headers.ratelimit}`)
    if (!RATE_POLICY.test(String(x.headers['ratelimit-policy'])))
      throw new Error(`${where}: RateLimit-Policy missing or malformed: ${x.headers['ratelimit-policy']}`)
  }
  if (x.status >= 400) {
    if (!type.startsWith('application/problem+json')) throw new Error(`${where}: content-type ${type}`)
    const validate = validateProblem()
    if (!validate(x.body)) throw new Error(`${where}: not a problem body: ${JSON.stringify(x.body)}`)
    if ((x.body as { status: number }).status !== x.status) throw new Error(`${where}: body status differs`)
    if (x.status === 405 && !x.headers.allow) throw new Error(`${where}: 405 without Allow`)
    if (x.status === 429 && !/^\d+$/.test(String(x.headers['retry-after'])))
      throw new Error(`${where}: 429 without integer Retry-After`)
    return
  }
  if (x.status === 204) {
    if (x.body !== undefined) throw new Error(`${where}: 204 with a body`)
    return
  }
  if (type.startsWith('text/event-stream')) return
  const validate = schemaFor(path, x.method, x.status)
  if (validate === null) {
    if (routeOf(path) && path !== '/v2/openapi.json')
      throw new Error(`${where}: the spec documents no ${x.status} body for this operation`)
    return
  }
  if (!validate(x.body)) {
    throw new Error(
      `${where} breaks the v2 spec: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(x.body).slice(0, 800)}`,
    )
  }
}

/** The v2 spec's own schema for a component, e.g. `Pod`. */
export function v2SpecSchema(name: string): ValidateFunction {
  return ajv.getSchema(`runpod-v2#/components/schemas/${name}`)!
}

export const v2Spec = spec
