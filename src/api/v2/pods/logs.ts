import type { FastifyReply, FastifyRequest } from 'fastify'
import Type from 'typebox'
import { ApiError } from '../../../domain/errors.js'
import type { Pod } from '../../../domain/pod.js'
import { type LogLine, podLogLines } from '../../../domain/pod-logs.js'
import type { App, AppContext } from '../../context.js'
import { sendPollingStream } from '../../event-stream.js'
import { Enum, IdParams, problems } from '../common.js'

/** How often an open stream looks for new lines. */
const POLL_MS = 1000

export const LogsQuery = Type.Object({
  source: Type.Optional(Enum(['container', 'system'] as const)),
  tail: Type.Integer({ minimum: 0, maximum: 5000, default: 100 }),
  since: Type.Optional(Type.String({ format: 'date-time' })),
  follow: Type.Boolean({
    default: true,
    'x-podplane': true,
    description: 'Keep the stream open for new lines (default). `false` sends what there is and ends.',
  }),
})
export type LogsQuery = Type.Static<typeof LogsQuery>

/** An event's position: its time, then its place among the lines of that same millisecond. */
interface Position {
  readonly ts: number
  readonly n: number
}

const after = (a: Position, b: Position) => a.ts > b.ts || (a.ts === b.ts && a.n > b.n)

/** `2026-06-01T12:02:03.000Z/000000000001`, or a bare date-time (resume after that moment). */
function parseLastEventId(value: string): Position {
  const [time, n] = value.split('/')
  const ts = Date.parse(time ?? '')
  if (Number.isNaN(ts) || (n !== undefined && !/^\d{1,12}$/.test(n)))
    throw new ApiError(422, 'Last-Event-ID: not an event id of this stream')
  return { ts, n: n === undefined ? Number.MAX_SAFE_INTEGER : Number(n) }
}

function numbered(lines: readonly LogLine[]): (LogLine & Position)[] {
  let previous = Number.NaN
  let n = 0
  return lines
    .map((line, i) => ({ line, i }))
    .sort((a, b) => a.line.ts - b.line.ts || a.i - b.i)
    .map(({ line }) => {
      n = line.ts === previous ? n + 1 : 0
      previous = line.ts
      return { ...line, n }
    })
}

const event = (l: LogLine & Position) =>
  `id: ${new Date(l.ts).toISOString()}/${String(l.n).padStart(12, '0')}\ndata: ${JSON.stringify({
    ts: new Date(l.ts).toISOString(),
    source: l.source,
    line: l.line,
  })}\n\n`

/**
 * Streams a pod's logs as Server-Sent Events: the last `tail` lines (or everything after
 * `Last-Event-ID` on a reconnect), then new lines as the pod produces them until the client
 * leaves or the pod is gone. Shared by pods and serverless workers (which are pods).
 */
export async function streamPodLogs(
  ctx: AppContext,
  request: FastifyRequest,
  reply: FastifyReply,
  pod: Pod,
  query: LogsQuery,
): Promise<FastifyReply> {
  const lastEventId = request.headers['last-event-id']
  const resumeAfter = typeof lastEventId === 'string' ? parseLastEventId(lastEventId) : undefined
  const since = query.since === undefined ? undefined : Date.parse(query.since)
  const wanted = (l: LogLine) =>
    (!query.source || l.source === query.source) && (since === undefined || l.ts >= since)

  // A pod on an agent-run machine has real output, stored as its agent sends it; the
  // simulator's pods get a history derived from their usage. A follow-up read of stored lines
  // starts at the last line's millisecond: all lines of that millisecond come back, so their
  // places (`n`) are numbered as in the first read.
  const read = async (current: Pod, fromTs?: number) => {
    await ctx.store.fleet.ready()
    const machine = ctx.store.fleet.row(current.machineId)
    if (machine?.driver === 'agent')
      return numbered(await ctx.store.agents.logsOf(current.id, fromTs)).filter(wanted)
    const runs = await ctx.store.usage.runsOf(current.userId, current.id)
    return numbered(podLogLines(current, runs, machine?.cuda_version ?? null, ctx.clock.now())).filter(wanted)
  }

  const history = await read(pod)
  const first = resumeAfter
    ? history.filter((l) => after(l, resumeAfter))
    : history.slice(Math.max(0, history.length - query.tail))
  let last: Position = history.at(-1) ?? resumeAfter ?? { ts: Number.NEGATIVE_INFINITY, n: 0 }

  return sendPollingStream(request, reply, {
    first: first.map(event).join(''),
    intervalMs: POLL_MS,
    poll: query.follow
      ? async () => {
          const current = await ctx.pods
            .get(pod.userId, pod.id, { includeWorkers: true })
            .catch(() => undefined)
          if (!current) return null
          const fresh = (await read(current, Number.isFinite(last.ts) ? last.ts : undefined)).filter((l) =>
            after(l, last),
          )
          if (fresh.length === 0) return ''
          last = fresh.at(-1)!
          return fresh.map(event).join('')
        }
      : undefined,
  })
}

export function podLogRoutes(v2: App, ctx: AppContext): void {
  v2.get(
    '/pods/:id/logs',
    {
      schema: {
        operationId: 'getPodLogs',
        summary: 'Stream pod logs',
        description:
          'Server-Sent Events: each event has an `id` (its time and place) and a JSON `data` of `{ts, source, line}`. Reconnect with `Last-Event-ID` to resume.',
        tags: ['pods'],
        params: IdParams,
        querystring: LogsQuery,
        headers: Type.Object({ 'last-event-id': Type.Optional(Type.String({ maxLength: 64 })) }),
        response: {
          200: {
            description: 'Pod log event stream',
            content: { 'text/event-stream': { schema: { type: 'string' } } },
          },
          ...problems(401, 404, 422, 429),
        },
      },
    },
    async (request, reply) => {
      const pod = await ctx.pods.get(request.auth.userId, request.params.id)
      return streamPodLogs(ctx, request, reply, pod, request.query)
    },
  )
}
