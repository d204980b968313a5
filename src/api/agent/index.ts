import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'
import {
  DesiredState,
  Heartbeat,
  HeartbeatAck,
  Inventory,
  LogBatch,
  PodReport,
  Registered,
  RegistryCredential,
} from '../../agent/protocol.js'
import { unauthorized } from '../../domain/errors.js'
import type { App, AppContext } from '../context.js'
import { sendPollingStream } from '../event-stream.js'
import { ErrorBody } from '../schema-helpers.js'

declare module 'fastify' {
  interface FastifyRequest {
    /** The machine whose credential authenticated this agent request. */
    machineId: string
  }
}

const BEARER = /^Bearer\s+(\S+)\s*$/i
/** How often an open watch looks at the machine's revision. */
const WATCH_POLL_MS = 500

const tags = ['agent']
const PodParams = Type.Object({ podId: Type.String({ minLength: 1, maxLength: 191 }) })

function bearer(request: FastifyRequest, what: string): string {
  const header = request.headers.authorization
  if (!header) throw unauthorized(`missing ${what}: send the header "Authorization: Bearer <${what}>"`)
  const match = BEARER.exec(header)
  if (!match) throw unauthorized('malformed Authorization header: expected "Bearer <credential>"')
  return match[1]!
}

/**
 * The agent API (a podplane extension) under /agent/v1: how `podplane agent` joins, learns what
 * its machine should run, and reports what runs. Every route but `register` needs the machine's
 * credential and sees only that machine's pods.
 */
export async function agentRoutes(app: App, ctx: AppContext): Promise<void> {
  app.post(
    '/register',
    {
      schema: {
        summary: 'Join a host to the fleet with a join token (Authorization: Bearer <join token>)',
        tags,
        body: Inventory,
        response: { 201: Registered, 400: ErrorBody, 401: ErrorBody },
      },
    },
    async (request, reply) => {
      const registered = await ctx.agents.register(bearer(request, 'join token'), request.body)
      return reply.code(201).send(registered)
    },
  )

  await app.register(async (machine: App) => {
    machine.addHook('onRequest', async (request) => {
      request.machineId = await ctx.agents.authenticate(bearer(request, 'machine credential'))
    })

    machine.put(
      '/inventory',
      {
        schema: {
          summary: "Update the machine's host facts (on every agent start)",
          tags,
          body: Inventory,
          response: { 204: Type.Null(), 400: ErrorBody, 401: ErrorBody },
        },
      },
      async (request, reply) => {
        await ctx.agents.updateInventory(request.machineId, request.body)
        return reply.code(204).send(null)
      },
    )

    machine.post(
      '/heartbeat',
      {
        schema: {
          summary: 'The agent is alive',
          tags,
          body: Heartbeat,
          response: { 200: HeartbeatAck, 401: ErrorBody },
        },
      },
      async (request) => ctx.agents.heartbeat(request.machineId, request.body.runtimeError ?? null),
    )

    machine.get(
      '/pods',
      {
        schema: {
          summary: "The machine's desired state: every pod it should run or keep stopped",
          tags,
          response: { 200: DesiredState, 401: ErrorBody },
        },
      },
      async (request) => ctx.agents.desiredState(request.machineId),
    )

    machine.get(
      '/pods/watch',
      {
        schema: {
          summary: "Server-Sent Events: one event (id = revision) each time the machine's pods change",
          tags,
          headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 64 })) }),
          response: {
            200: {
              description: 'revision events',
              content: { 'text/event-stream': { schema: { type: 'string' } } },
            },
          },
        },
      },
      async (request, reply) => watchRevisions(ctx, request, reply),
    )

    machine.get(
      '/pods/:podId/registry-auth',
      {
        schema: {
          summary:
            "The pod's registry credential in clear, for pulling its image now (never stored by the agent)",
          tags,
          params: PodParams,
          response: { 200: RegistryCredential, 401: ErrorBody, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        reply.header('cache-control', 'no-store')
        return ctx.agents.registryCredential(request.machineId, request.params.podId)
      },
    )

    machine.post(
      '/pods/:podId/status',
      {
        schema: {
          summary: "Report what the runtime did with the pod's container",
          tags,
          params: PodParams,
          body: PodReport,
          response: { 204: Type.Null(), 400: ErrorBody, 401: ErrorBody, 404: ErrorBody, 409: ErrorBody },
        },
      },
      async (request, reply) => {
        await ctx.agents.report(request.machineId, request.params.podId, request.body)
        return reply.code(204).send(null)
      },
    )

    machine.post(
      '/pods/:podId/logs',
      {
        bodyLimit: 20 * 1024 * 1024,
        schema: {
          summary: "Append lines to the pod's log",
          tags,
          params: PodParams,
          body: LogBatch,
          response: { 204: Type.Null(), 400: ErrorBody, 401: ErrorBody, 404: ErrorBody },
        },
      },
      async (request, reply) => {
        await ctx.agents.appendLogs(request.machineId, request.params.podId, request.body.lines)
        return reply.code(204).send(null)
      },
    )
  })
}

/**
 * Streams an event (id = revision) whenever the machine's pods change, starting with the current
 * revision unless `Last-Event-ID` already names it; keep-alive comments while nothing changes.
 */
async function watchRevisions(ctx: AppContext, request: FastifyRequest, reply: FastifyReply) {
  const machineId = request.machineId
  let sent = request.headers['last-event-id']
  const next = async () => {
    const revision = await ctx.agents.revision(machineId)
    if (revision === sent) return ''
    sent = revision
    return `id: ${revision}\ndata: ${JSON.stringify({ revision })}\n\n`
  }
  return sendPollingStream(request, reply, { first: await next(), poll: next, intervalMs: WATCH_POLL_MS })
}
