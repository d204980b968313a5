import { readFileSync } from 'node:fs'
import { Ajv, type ValidateFunction } from 'ajv'
import addFormats from 'ajv-formats'

/**
 * Validates real responses against RunPod's vendored OpenAPI spec (spec/runpod-openapi.json):
 * the response schema of the matching path, method and status. Statuses the spec gives no body
 * schema (its 4xx) are checked against RunPod's error body instead.
 */
const spec = JSON.parse(readFileSync(new URL('../../spec/runpod-openapi.json', import.meta.url), 'utf8'))
const ajv = new Ajv({ strict: false, allErrors: true })
addFormats.default(ajv)
ajv.addFormat('currency', true)
ajv.addSchema(spec, 'runpod')

const ERROR_BODY = {
  type: 'object',
  required: ['error', 'status'],
  additionalProperties: false,
  properties: { error: { type: 'string', minLength: 1 }, status: { type: 'integer' } },
}
const validateError = ajv.compile(ERROR_BODY)

const routes = Object.keys(spec.paths).map((template: string) => ({
  template,
  pattern: new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`),
  // Literal paths (/pods/{podId}/start) win over shorter templates.
  literalLength: template.replace(/\{[^}]+\}/g, '').length,
}))

const compiled = new Map<string, ValidateFunction>()

function schemaFor(path: string, method: string, status: number): ValidateFunction | undefined {
  const route = routes
    .filter((r) => r.pattern.test(path))
    .sort((a, b) => b.literalLength - a.literalLength)[0]
  if (!route) return undefined
  const key = `${route.template} ${method} ${status}`
  if (!compiled.has(key)) {
    const response = spec.paths[route.template]?.[method.toLowerCase()]?.responses?.[String(status)]
    if (response?.content?.['application/json']?.schema) {
      const pointer = `runpod#/paths/${route.template.replace(/~/g, '~0').replace(/\//g, '~1')}/${method.toLowerCase()}/responses/${status}/content/application~1json/schema`
      compiled.set(key, ajv.getSchema(pointer)!)
    } else if (/^\/pods\/\{podId\}\/(start|stop|restart|reset)$/.test(route.template) && status === 200) {
      // The spec describes these 200s without a body; RunPod returns the pod, and so do we.
      compiled.set(key, specSchema('Pod'))
    } else {
      return undefined
    }
  }
  return compiled.get(key)
}

/** Throws with Ajv's findings when `body` does not match what the spec promises for this response. */
export function assertMatchesSpec(method: string, url: string, status: number, body: unknown): void {
  const path = url.split('?')[0]!.replace(/^\/v1/, '')
  if (status >= 400) {
    if (!validateError(body))
      throw new Error(`${method} ${url} → ${status}: not RunPod's error body: ${JSON.stringify(body)}`)
    if ((body as { status: number }).status !== status)
      throw new Error(`${method} ${url}: body status ≠ ${status}`)
    return
  }
  const validate = schemaFor(path, method, status)
  if (validate && !validate(body)) {
    throw new Error(
      `${method} ${url} → ${status} breaks the spec: ${ajv.errorsText(validate.errors)}\n${JSON.stringify(body).slice(0, 500)}`,
    )
  }
}

/** The spec's own schema for a component, e.g. `Pod`. */
export function specSchema(name: string): ValidateFunction {
  return ajv.getSchema(`runpod#/components/schemas/${name}`)!
}
