import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import Type from 'typebox'
import type { App } from './context.js'

/** The docs routes RunPod's spec lists; they need no key. */
const PUBLIC = { security: [] }

type OpenApiDocument = { paths?: Record<string, unknown>; [key: string]: unknown }

/**
 * The v1 API as one OpenAPI 3.0 document, generated from the route schemas: the /v1 paths with
 * the prefix moved into `servers`, like RunPod's own spec. Operations RunPod does not have carry
 * `x-podplane: true`.
 */
export function v1Document(whole: OpenApiDocument): OpenApiDocument {
  const paths: Record<string, unknown> = {}
  for (const [path, item] of Object.entries(whole.paths ?? {})) {
    if (path.startsWith('/v1/')) paths[path.slice('/v1'.length)] = item
  }
  paths['/docs'] = {
    get: {
      tags: ['docs'],
      summary: 'Documentation Page',
      description: 'Interactive API documentation.',
      operationId: 'GetDocs',
      ...PUBLIC,
      responses: {
        200: {
          description: 'The docs UI for the OpenAPI schema.',
          content: { 'text/html': { schema: { type: 'string' } } },
        },
      },
    },
  }
  return { ...whole, servers: [{ url: '/v1' }], paths }
}

/**
 * The v2 API as an OpenAPI 3.1 document, generated from the /v2 route schemas (which are JSON
 * Schema 2020-12 already), with RunPod's bearer scheme.
 */
export function v2Document(whole: OpenApiDocument): OpenApiDocument {
  const paths: Record<string, unknown> = {}
  for (const [path, item] of Object.entries(whole.paths ?? {})) {
    if (path.startsWith('/v2/')) paths[path] = item
  }
  const bearer = [{ bearerAuth: [] }]
  // Operations that need a key name v1's scheme; here it is RunPod v2's.
  for (const item of Object.values(paths) as Record<string, { security?: unknown[] }>[]) {
    for (const operation of Object.values(item)) {
      if (operation?.security && operation.security.length > 0) operation.security = bearer
    }
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'podplane',
      version: (whole.info as { version: string }).version,
      description: "RunPod's REST API v2, served by podplane. Extensions are marked with x-podplane.",
    },
    servers: [{ url: '/' }],
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'podplane API key' },
      },
    },
    security: bearer,
    tags: V2_TAGS,
    paths,
  }
}

const V2_TAGS = [
  { name: 'pods', description: 'Manage Pods.' },
  { name: 'clusters', description: 'Manage Instant Clusters: gangs of GPU pods in one data center.' },
  { name: 'catalog', description: 'GPU types, CPU types and data centers, with live availability.' },
  { name: 'serverless', description: 'Manage Serverless endpoints.' },
  { name: 'templates', description: 'Manage Pod and Serverless templates.' },
  { name: 'network volumes', description: 'Manage network volumes.' },
  { name: 'registries', description: 'Manage credentials for private container registries.' },
  { name: 'account', description: 'Account settings.' },
  { name: 'billing', description: 'Retrieve billing history.' },
]

/** Registers OpenAPI generation; must run before any route is added. */
export async function registerOpenApi(app: App, version: string): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: {
        title: 'podplane',
        version,
        description: "RunPod's REST API v1, served by podplane. Extensions are marked with x-podplane.",
      },
      components: { securitySchemes: { ApiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'Bearer' } } },
      security: [{ ApiKey: [] }],
      tags: [
        { name: 'docs', description: 'This documentation page.' },
        { name: 'pods', description: 'Manage Pods.' },
        { name: 'endpoints', description: 'Manage Serverless endpoints.' },
        { name: 'network volumes', description: 'Manage network volumes.' },
        { name: 'templates', description: 'Manage Pod and Serverless templates.' },
        {
          name: 'container registry auths',
          description: 'Manage credentials for private container registries.',
        },
        { name: 'billing', description: 'Retrieve billing history.' },
      ],
    },
  })
}

/** GET /v1/openapi.json with the Swagger UI at /v1/docs, and GET /v2/openapi.json. */
export async function openApiRoutes(app: App): Promise<void> {
  app.get(
    '/v1/openapi.json',
    {
      schema: {
        operationId: 'GetOpenAPI',
        summary: 'OpenAPI 3.0 schema',
        description: 'The OpenAPI 3.0 schema.',
        tags: ['docs'],
        ...PUBLIC,
        response: { 200: Type.Object({}, { additionalProperties: true }) },
      },
    },
    async () => v1Document(app.swagger() as unknown as OpenApiDocument),
  )
  app.get(
    '/v2/openapi.json',
    {
      schema: {
        operationId: 'GetOpenAPIv2',
        summary: 'OpenAPI 3.1 schema of REST v2',
        tags: ['docs'],
        'x-podplane': true,
        ...PUBLIC,
        response: { 200: Type.Object({}, { additionalProperties: true }) },
      },
    },
    async () => v2Document(app.swagger() as unknown as OpenApiDocument),
  )
  await app.register(swaggerUi, {
    routePrefix: '/v1/docs',
    transformSpecification: (whole) => v1Document(whole as unknown as OpenApiDocument),
    uiConfig: { docExpansion: 'list', deepLinking: true },
  })
}
