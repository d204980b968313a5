import Type from 'typebox'
import type { App, AppContext } from '../../context.js'
import { ErrorBody } from '../../schema-helpers.js'
import {
  Template,
  TemplateCreateInput,
  TemplateIdParams,
  TemplateUpdateInput,
  TemplateVisibilityQuery,
} from './schemas.js'
import { templateView } from './template-view.js'

const tags = ['templates']

export function templateRoutes(app: App, ctx: AppContext) {
  app.get(
    '/templates',
    {
      schema: {
        operationId: 'ListTemplates',
        summary: 'List templates',
        tags,
        querystring: TemplateVisibilityQuery,
        response: { 200: Type.Array(Template), 400: ErrorBody },
      },
    },
    async (request) => (await ctx.templates.list(request.auth.userId, request.query)).map(templateView),
  )

  app.get(
    '/templates/:templateId',
    {
      schema: {
        operationId: 'GetTemplate',
        summary: 'Find a template by ID',
        tags,
        params: TemplateIdParams,
        querystring: TemplateVisibilityQuery,
        response: { 200: Template, 400: ErrorBody, 404: ErrorBody },
      },
    },
    async (request) =>
      templateView(await ctx.templates.get(request.auth.userId, request.params.templateId, request.query)),
  )

  app.post(
    '/templates',
    {
      schema: {
        operationId: 'CreateTemplate',
        summary: 'Create a template',
        tags,
        body: TemplateCreateInput,
        response: { 200: Template, 400: ErrorBody },
      },
    },
    async (request) => templateView(await ctx.templates.create(request.auth.userId, request.body)),
  )

  for (const [method, url] of [
    ['PATCH', '/templates/:templateId'],
    ['POST', '/templates/:templateId/update'],
  ] as const) {
    app.route({
      method,
      url,
      schema: {
        operationId: 'UpdateTemplate',
        summary: 'Update a template',
        description: 'Update a template; endpoints running on it roll out a new release.',
        tags,
        params: TemplateIdParams,
        body: TemplateUpdateInput,
        response: { 200: Template, 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
      handler: async (request) =>
        templateView(
          await ctx.templates.update(request.auth.userId, request.params.templateId, request.body),
        ),
    })
  }

  app.delete(
    '/templates/:templateId',
    {
      schema: {
        operationId: 'DeleteTemplate',
        summary: 'Delete a template',
        tags,
        params: TemplateIdParams,
        response: { 204: Type.Null(), 400: ErrorBody, 403: ErrorBody, 404: ErrorBody },
      },
    },
    async (request, reply) => {
      await ctx.templates.delete(request.auth.userId, request.params.templateId)
      return reply.code(204).send(null)
    },
  )
}
