import { readFileSync } from 'node:fs'
import Fastify from 'fastify'

/**
 * The ceiling: a bare Fastify server answering each benchmarked URL with the exact bytes podplane
 * returned for it, precomputed. Whatever podplane does beyond sending bytes shows as the gap.
 */
const recorded = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as Record<string, { body: string }>
const bodies = new Map(Object.entries(recorded).map(([url, r]) => [url, Buffer.from(r.body)]))
const app = Fastify({ logger: false })
app.get('/*', (request, reply) => {
  const body = bodies.get(request.url)
  if (!body) return reply.code(404).send()
  return reply.type('application/json; charset=utf-8').send(body)
})
app.listen({ host: '127.0.0.1', port: 0 }).then((url) => process.stdout.write(`listening ${url}\n`))
