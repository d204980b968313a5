import { readFileSync } from 'node:fs'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestApp, type TestApp } from '../helpers/app.js'

type Schema = Record<string, any>
const runpod = JSON.parse(readFileSync(new URL('../../spec/runpod-openapi.json', import.meta.url), 'utf8'))
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const

function resolve(doc: Schema, schema: Schema | undefined): Schema | undefined {
  let s = schema
  while (s?.$ref)
    s = s.$ref
      .split('/')
      .slice(1)
      .reduce((node: Schema, key: string) => node[key], doc)
  return s
}

/** Where `ours` cannot carry what RunPod's schema describes, one message per gap. */
function incompatibilities(
  theirs: Schema | undefined,
  ours: Schema | undefined,
  path: string,
  ourDoc: Schema,
): string[] {
  const t = resolve(runpod, theirs)
  const o = resolve(ourDoc, ours)
  if (!t) return []
  if (!o) return [`${path}: missing`]
  const gaps: string[] = []
  if (t.type && o.type && t.type !== o.type && !(t.type === 'number' && o.type === 'integer')) {
    gaps.push(`${path}: RunPod says ${t.type}, podplane says ${o.type}`)
  }
  if (t.enum && o.enum) {
    // Catalog ids are checked against the live catalog instead of a fixed enum, so only
    // enums podplane does declare must cover RunPod's.
    for (const value of t.enum) if (!o.enum.includes(value)) gaps.push(`${path}: enum lacks ${value}`)
  }
  if (t.type === 'array') gaps.push(...incompatibilities(t.items, o.items, `${path}[]`, ourDoc))
  for (const [name, prop] of Object.entries<Schema>(t.properties ?? {})) {
    gaps.push(...incompatibilities(prop, o.properties?.[name], `${path}.${name}`, ourDoc))
  }
  return gaps
}

describe('GET /v1/openapi.json', () => {
  let t: TestApp
  let ours: Schema
  beforeAll(async () => {
    t = await createTestApp()
    const res = await t.request('GET', '/v1/openapi.json')
    expect(res.status).toBe(200)
    ours = res.body
  })
  afterAll(() => t.close())

  it('is an OpenAPI 3.0 document for the /v1 server, public like RunPod’s', () => {
    expect(ours.openapi).toBe('3.0.3')
    expect(ours.servers).toEqual([{ url: '/v1' }])
    expect(ours.components.securitySchemes.ApiKey).toMatchObject({ type: 'http', scheme: 'bearer' })
  })

  it('has every RunPod path and method', () => {
    const missing: string[] = []
    for (const [path, item] of Object.entries<Schema>(runpod.paths)) {
      for (const method of METHODS)
        if (item[method] && !ours.paths[path]?.[method]) missing.push(`${method.toUpperCase()} ${path}`)
    }
    expect(missing).toEqual([])
  })

  it('takes every RunPod query parameter with a compatible type', () => {
    const gaps: string[] = []
    for (const [path, item] of Object.entries<Schema>(runpod.paths)) {
      for (const method of METHODS) {
        for (const param of item[method]?.parameters ?? []) {
          const mine = (ours.paths[path]?.[method]?.parameters ?? []).find(
            (p: Schema) => p.name === param.name && p.in === param.in,
          )
          if (!mine) gaps.push(`${method.toUpperCase()} ${path} ${param.in} ${param.name}: missing`)
          else
            gaps.push(
              ...incompatibilities(
                param.schema,
                mine.schema,
                `${method.toUpperCase()} ${path} ${param.name}`,
                ours,
              ),
            )
        }
      }
    }
    expect(gaps).toEqual([])
  })

  it('accepts every RunPod request body field and returns every response property, compatibly typed', () => {
    const gaps: string[] = []
    for (const [path, item] of Object.entries<Schema>(runpod.paths)) {
      for (const method of METHODS) {
        const theirs = item[method]
        if (!theirs) continue
        const op = ours.paths[path]?.[method]
        const where = `${method.toUpperCase()} ${path}`
        const body = theirs.requestBody?.content?.['application/json']?.schema
        gaps.push(
          ...incompatibilities(
            body,
            op?.requestBody?.content?.['application/json']?.schema,
            `${where} body`,
            ours,
          ),
        )
        for (const [status, response] of Object.entries<Schema>(theirs.responses ?? {})) {
          const schema = response.content?.['application/json']?.schema
          const mine = op?.responses?.[status]?.content?.['application/json']?.schema
          gaps.push(...incompatibilities(schema, mine, `${where} ${status}`, ours))
        }
      }
    }
    expect(gaps).toEqual([])
  })

  it('marks every operation RunPod does not have with x-podplane', () => {
    const unmarked: string[] = []
    for (const [path, item] of Object.entries<Schema>(ours.paths)) {
      for (const method of METHODS) {
        if (item[method] && !runpod.paths[path]?.[method] && item[method]['x-podplane'] !== true) {
          unmarked.push(`${method.toUpperCase()} ${path}`)
        }
      }
    }
    expect(unmarked).toEqual([])
    expect(ours.paths['/pods/{podId}/savingsplans'].post['x-podplane']).toBe(true)
  })

  it('marks every Pod field and create field RunPod does not have with x-podplane', () => {
    const extra = (theirs: Schema, mine: Schema) =>
      Object.entries<Schema>(mine.properties)
        .filter(([name, schema]) => !(name in theirs.properties) && schema['x-podplane'] !== true)
        .map(([name]) => name)
    const pod = ours.paths['/pods/{podId}'].get.responses['200'].content['application/json'].schema
    const create = ours.paths['/pods'].post.requestBody.content['application/json'].schema
    expect(extra(runpod.components.schemas.Pod, pod)).toEqual([])
    expect(extra(runpod.components.schemas.PodCreateInput, create)).toEqual([])
    expect(pod.properties.template['x-podplane']).toBe(true)
  })

  it('serves the interactive docs at /v1/docs without a key', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/v1/docs' })
    expect(res.statusCode).toBe(200)
    expect(res.headers['content-type']).toContain('text/html')
    expect(res.body).toContain('swagger')
  })
})
