import type { FastifyReply, FastifyRequest, RequestPayload } from 'fastify'
import { badRequest } from '../domain/errors.js'

// Text podplane stores must be well-formed Unicode without U+0000. PostgreSQL's text type cannot
// hold a NUL, and refuses the whole statement for one; on SQLite it would cut the text short in
// every C-string tool that reads the file. An unpaired UTF-16 surrogate (`"\ud800"` in JSON) is
// not Unicode at all: drivers replace it or fail on it. Requests carrying either are refused at the
// door, on both stores alike, naming where.

/**
 * A root `preParsing` hook (after authentication): a `%00` in the path or the query string is a
 * 400. It runs for every request, `GET /v1/pods` too: one `indexOf`, no promise.
 */
export function refuseNulInUrl(
  request: FastifyRequest,
  _reply: FastifyReply,
  payload: RequestPayload,
  done: (error: Error | null, payload?: RequestPayload) => void,
): void {
  const at = request.url.indexOf('%00')
  if (at === -1) {
    done(null, payload)
    return
  }
  const query = request.url.indexOf('?')
  const where = query !== -1 && at > query ? 'query string' : 'path'
  done(badRequest(`the ${where} contains a NUL character (%00), which is not accepted`))
}

/**
 * Why a parsed JSON body cannot be stored as sent (naming the first string or key at fault, as a
 * path such as `env.A` or `gpuTypeIds[1]`), or undefined when it can. `text` is the body as sent:
 * a NUL or a surrogate can only be there as a `\u` escape, so most bodies are not walked at all.
 */
export function unstorableText(text: string, value: unknown): string | undefined {
  return MAY_HOLD_UNSTORABLE.test(text) ? find(value, '') : undefined
}

/** `\u0000`, or a surrogate's escape (`\ud800`–`\udfff`; pairs too, which are fine, checked below). */
const MAY_HOLD_UNSTORABLE = /\\u(?:0000|[dD][89a-fA-F])/

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/

function problemWith(text: string): string | undefined {
  if (text.includes('\0')) return 'contains a NUL character (\\u0000), which is not accepted'
  if (LONE_SURROGATE.test(text)) return 'contains an unpaired UTF-16 surrogate, which is not valid Unicode'
  return undefined
}

function find(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') {
    const problem = problemWith(value)
    return problem && `${path || 'the body'} ${problem}`
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = find(item, `${path}[${i}]`)
      if (found) return found
    }
    return undefined
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const problem = problemWith(key)
      if (problem) return `a key in ${path || 'the body'} ${problem}`
      const found = find(item, path ? `${path}.${key}` : key)
      if (found) return found
    }
  }
  return undefined
}
