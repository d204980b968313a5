import type { App, AppContext } from '../../context.js'
import { IdParams, noContent, problems } from '../common.js'
import { toCreateInput, toTemplateInput, v2TemplateError } from './requests.js'
import {
  CatalogTemplatesQuery,
  CreateTemplateBody,
  ListTemplatesResponse,
  Template,
  UpdateTemplateBody,
} from './schemas.js'
import { v2TemplateView } from './view.js'

const TAGS = ['templates']

/** Everything a caller can read by id: their own templates, public and official ones. */
const READABLE = {
  includeEndpointBoundTemplates: true,
  includePublicTemplates: true,
  includeRunpodTemplates: true,
}

export function templateRoutes(v2: App, ctx: AppContext): void {
  v2.get(
    '/templates',
    {
      schema: {
        operationId: 'listTemplates',
        summary: 'List templates',
        description: 'All templates you own, pod and serverless, public and private.',
        tags: TAGS,
        response: { 200: ListTemplatesResponse, ...problems(401, 429) },
      },
    },
    async (request) => {
      const { userId } = request.auth
      const templates = await ctx.templates.list(userId, { includeEndpointBoundTemplates: true })
      return { templates: templates.map((t) => v2TemplateView(t, userId)) }
    },
  )

  v2.post(
    '/templates',
    {
      schema: {
        operationId: 'createTemplate',
        summary: 'Create a template',
        tags: TAGS,
        body: CreateTemplateBody,
        response: { 201: Template, ...problems(400, 401, 422, 429) },
      },
    },
    async (request, reply) => {
      const { userId } = request.auth
      const template = await ctx.templates.create(userId, toCreateInput(request.body)).catch(v2TemplateError)
      return reply.code(201).send(v2TemplateView(template, userId))
    },
  )

  v2.get(
    '/templates/:id',
    {
      schema: {
        operationId: 'getTemplate',
        summary: 'Get a template',
        description: 'One of your templates, or a public or official one.',
        tags: TAGS,
        params: IdParams,
        response: { 200: Template, ...problems(401, 404, 422, 429) },
      },
    },
    async (request) => {
      const { userId } = request.auth
      return v2TemplateView(await ctx.templates.get(userId, request.params.id, READABLE), userId)
    },
  )

  v2.patch(
    '/templates/:id',
    {
      schema: {
        operationId: 'updateTemplate',
        summary: 'Update a template',
        description: 'Changes the fields present in the body. Only your own templates can be changed.',
        tags: TAGS,
        params: IdParams,
        body: UpdateTemplateBody,
        response: { 200: Template, ...problems(400, 401, 404, 422, 429) },
      },
    },
    async (request) => {
      const { userId } = request.auth
      const template = await ctx.templates
        .update(userId, request.params.id, toTemplateInput(request.body))
        .catch(v2TemplateError)
      return v2TemplateView(template, userId)
    },
  )

  v2.delete(
    '/templates/:id',
    {
      schema: {
        operationId: 'deleteTemplate',
        summary: 'Delete a template',
        description: 'Refused (400) while one of your pods or endpoints uses it.',
        tags: TAGS,
        params: IdParams,
        response: { 204: { type: 'null', description: 'Deleted.' }, ...problems(400, 401, 404, 422, 429) },
      },
    },
    async (request, reply) => {
      await ctx.templates.delete(request.auth.userId, request.params.id).catch(v2TemplateError)
      return noContent(reply)
    },
  )

  v2.get(
    '/catalog/templates',
    {
      schema: {
        operationId: 'listPublicTemplates',
        summary: 'List public templates',
        description:
          'The public catalog, at most 100 templates: `official` (curated), `verified` or `community` (shared by other users).',
        tags: ['catalog'],
        querystring: CatalogTemplatesQuery,
        response: { 200: ListTemplatesResponse, ...problems(401, 422, 429) },
      },
    },
    async (request) => {
      const { userId } = request.auth
      const templates = await ctx.templates.catalog(userId, request.query.source ?? 'official')
      return { templates: templates.map((t) => v2TemplateView(t, userId)) }
    },
  )
}
