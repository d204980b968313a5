import { readFileSync } from 'node:fs'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../../helpers/app.js'

type Schema = Record<string, any>
const runpod: Schema = JSON.parse(
  readFileSync(new URL('../../../spec/runpod-openapi-v2.json', import.meta.url), 'utf8'),
)
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

/** Follows `$ref`s and folds `allOf` / `anyOf` / `oneOf` into one view: every type, every property. */
function flatten(doc: Schema, schema: Schema | undefined, seen = 0): Schema | undefined {
  if (!schema || seen > 20) return schema
  if (schema.$ref) {
    const target = schema.$ref
      .split('/')
      .slice(1)
      .reduce((node: Schema, key: string) => node?.[key], doc)
    return flatten(doc, target, seen + 1)
  }
  const parts = [...(schema.allOf ?? []), ...(schema.anyOf ?? []), ...(schema.oneOf ?? [])]
    .map((part: Schema) => flatten(doc, part, seen + 1))
    .filter(Boolean) as Schema[]
  const types = new Set<string>([schema.type ?? []].flat())
  if (schema.nullable) types.add('null')
  if (schema.const === null) types.add('null')
  const properties: Schema = { ...schema.properties }
  let items = schema.items
  let enumValues: unknown[] | undefined = schema.enum
  for (const part of parts) {
    for (const type of part.types) types.add(type)
    Object.assign(properties, part.properties)
    items ??= part.items
    if (part.enum) enumValues = [...(enumValues ?? []), ...part.enum]
  }
  return { types, properties, items, enum: enumValues }
}

/** A request must accept every type RunPod's does; a response must send only types RunPod's allows. */
type Direction = 'request' | 'response'

const covers = (types: Set<string>, type: string) =>
  types.has(type) || (type === 'integer' && types.has('number'))

/** Where podplane's schema cannot stand in for RunPod's, one message per gap. */
function gaps(
  theirs: Schema | undefined,
  ours: Schema | undefined,
  path: string,
  ourDoc: Schema,
  direction: Direction,
): string[] {
  const t = flatten(runpod, theirs)
  if (!t) return []
  const o = flatten(ourDoc, ours)
  if (!o) return [`${path}: missing`]
  const found: string[] = []
  if (o.types.size > 0 && t.types.size > 0) {
    const [wide, narrow] = direction === 'request' ? [o.types, t.types] : [t.types, o.types]
    for (const type of narrow)
      if (!covers(wide, type))
        found.push(`${path}: RunPod [${[...t.types]}], podplane [${[...o.types]}] (${direction})`)
  }
  if (t.enum && o.enum) {
    const [wide, narrow] = direction === 'request' ? [o.enum, t.enum] : [t.enum, o.enum]
    for (const value of narrow)
      if (!wide.includes(value)) found.push(`${path}: enum value ${value} (${direction})`)
  }
  if (t.types.has('array')) found.push(...gaps(t.items, o.items, `${path}[]`, ourDoc, direction))
  for (const [name, prop] of Object.entries<Schema>(t.properties))
    found.push(...gaps(prop, o.properties[name], `${path}.${name}`, ourDoc, direction))
  return found
}

function parameter(doc: Schema, param: Schema): Schema {
  return param.$ref ? flattenRef(doc, param.$ref) : param
}
function flattenRef(doc: Schema, ref: string): Schema {
  return ref
    .split('/')
    .slice(1)
    .reduce((node: Schema, key: string) => node[key], doc)
}

function operations(doc: Schema): [string, string, Schema, Schema][] {
  return Object.entries<Schema>(doc.paths).flatMap(([path, item]) =>
    METHODS.filter((m) => item[m]).map((m) => [path, m, item[m], item] as [string, string, Schema, Schema]),
  )
}

describe('GET /v2/openapi.json', () => {
  let t: TestApp
  let ours: Schema
  beforeAll(async () => {
    t = await createTestApp()
    const res = await t.request('GET', '/v2/openapi.json')
    expect(res.status).toBe(200)
    ours = res.body
  })
  afterAll(() => t.close())

  it('is an OpenAPI 3.1 document with RunPod’s bearer scheme, served without a key', () => {
    expect(ours.openapi).toBe('3.1.0')
    expect(ours.components.securitySchemes.bearerAuth).toMatchObject({ type: 'http', scheme: 'bearer' })
    expect(ours.security).toEqual([{ bearerAuth: [] }])
    expect(Object.keys(ours.paths).every((p) => p.startsWith('/v2/'))).toBe(true)
  })

  it('holds only schemas JSON Schema 2020-12 compiles', () => {
    const ajv = new Ajv2020({ strict: false, validateFormats: false })
    const broken: string[] = []
    for (const [path, method, op] of operations(ours)) {
      const schemas = [
        op.requestBody?.content?.['application/json']?.schema,
        ...Object.values<Schema>(op.responses ?? {}).flatMap((r) =>
          Object.values<Schema>(r.content ?? {}).map((c) => c.schema),
        ),
        ...(op.parameters ?? []).map((p: Schema) => p.schema),
      ].filter(Boolean)
      for (const schema of schemas) {
        try {
          ajv.compile({ ...schema, $id: undefined })
        } catch (error) {
          broken.push(`${method.toUpperCase()} ${path}: ${(error as Error).message}`)
        }
      }
    }
    expect(broken).toEqual([])
  })

  it('has every RunPod v2 path and method', () => {
    const missing = operations(runpod)
      .filter(([path, method]) => !ours.paths[path]?.[method])
      .map(([path, method]) => `${method.toUpperCase()} ${path}`)
    expect(missing).toEqual([])
  })

  it('takes every RunPod query and path parameter with a compatible type', () => {
    const found: string[] = []
    for (const [path, method, op, item] of operations(runpod)) {
      const mine = ours.paths[path]?.[method]
      if (!mine) continue
      for (const raw of [...(item.parameters ?? []), ...(op.parameters ?? [])]) {
        const param = parameter(runpod, raw)
        if (param.in === 'header') continue
        const where = `${method.toUpperCase()} ${path} ${param.in} ${param.name}`
        const match = (mine.parameters ?? []).find((p: Schema) => p.name === param.name && p.in === param.in)
        if (!match) found.push(`${where}: missing`)
        else found.push(...gaps(param.schema, match.schema, where, ours, 'request'))
      }
    }
    expect(found).toEqual([])
  })

  it('accepts every RunPod request field and returns every response property, compatibly typed', () => {
    const found: string[] = []
    for (const [path, method, op] of operations(runpod)) {
      const mine = ours.paths[path]?.[method]
      if (!mine) continue
      const where = `${method.toUpperCase()} ${path}`
      found.push(
        ...gaps(
          op.requestBody?.content?.['application/json']?.schema,
          mine.requestBody?.content?.['application/json']?.schema,
          `${where} body`,
          ours,
          'request',
        ),
      )
      for (const [status, response] of Object.entries<Schema>(op.responses ?? {})) {
        if (!/^2/.test(status)) continue
        const theirs = flattenResponse(runpod, response).content?.['application/json']?.schema
        const mineSchema = mine.responses?.[status]?.content?.['application/json']?.schema
        found.push(...gaps(theirs, mineSchema, `${where} ${status}`, ours, 'response'))
      }
    }
    expect(found).toEqual([])
  })

  it('marks every operation RunPod’s v2 does not have with x-podplane', () => {
    const unmarked = operations(ours)
      .filter(([path, method, op]) => !runpod.paths[path]?.[method] && op['x-podplane'] !== true)
      .map(([path, method]) => `${method.toUpperCase()} ${path}`)
    expect(unmarked).toEqual([])
  })
})

function flattenResponse(doc: Schema, response: Schema): Schema {
  return response.$ref ? flattenRef(doc, response.$ref) : response
}
