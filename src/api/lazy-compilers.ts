import { performance } from 'node:perf_hooks'
import SerializerSelector from '@fastify/fast-json-stringify-compiler'
import type { FastifySchemaCompiler } from 'fastify'

/** How often background compilation looks for spare time, and how much of it one look may use. */
const BACKGROUND_TICK_MS = 50
const BACKGROUND_SLICE_MS = 10

/**
 * Route validators and serializers compiled after start-up instead of before it. A server has a
 * few hundred routes (v1, v2, admin, agent) and compiling every schema up front was about a third
 * of the time from `npm start` to ready. Each is compiled once: by its first request, or — once
 * the server listens — in the background, in the time requests leave spare (`compileInBackground`).
 */
export class LazyCompilers {
  readonly #waiting = new Set<() => void>()
  #stopped = false

  validator(compile: FastifySchemaCompiler<object>): FastifySchemaCompiler<object> {
    return (route) => {
      let validate: ReturnType<FastifySchemaCompiler<object>> | undefined
      const ensure = () => {
        this.#waiting.delete(ensure)
        validate ??= compile(route)
        return validate
      }
      this.#waiting.add(ensure)
      // Fastify reads a failed validation's `errors` from the function it was given.
      const lazy = (data: unknown) => {
        const compiled = validate ?? ensure()
        const result = compiled(data)
        lazy.errors = (compiled as { errors?: unknown }).errors
        return result
      }
      lazy.errors = undefined as unknown
      return lazy as ReturnType<FastifySchemaCompiler<object>>
    }
  }

  /** Fastify's own serializer (fast-json-stringify), built for a route when first needed. */
  readonly serializerFactory: SerializerSelector.SerializerFactory = (externalSchemas, options) => {
    const compile = SerializerSelector()(externalSchemas, options)
    return (route) => {
      let serialize: SerializerSelector.Serializer | undefined
      const ensure = () => {
        this.#waiting.delete(ensure)
        serialize ??= compile(route)
        return serialize
      }
      this.#waiting.add(ensure)
      return (data) => (serialize ?? ensure())(data)
    }
  }

  /**
   * Compiles what no request has needed yet while the server has time to spare: every
   * `BACKGROUND_TICK_MS`, for up to `BACKGROUND_SLICE_MS`, when the event loop was busy less than
   * half of the last tick. A server taking traffic as it starts would otherwise see each
   * compilation (a few ms) added to the requests that wait behind it; under steady load routes
   * compile on first use instead, which costs one request each.
   */
  compileInBackground(): void {
    let last = performance.eventLoopUtilization()
    const tick = () => {
      // Done once everything is compiled (in the background or by first use).
      if (this.#stopped || this.#waiting.size === 0) return
      const now = performance.eventLoopUtilization()
      const busy = performance.eventLoopUtilization(now, last).utilization
      if (busy < 0.5) {
        const until = performance.now() + BACKGROUND_SLICE_MS
        while (performance.now() < until) {
          const ensure = this.#waiting.values().next().value
          if (!ensure) return
          try {
            ensure()
          } catch {
            // A schema that does not compile fails its route's requests, where it can be seen.
          }
        }
      }
      last = performance.eventLoopUtilization()
      setTimeout(tick, BACKGROUND_TICK_MS).unref()
    }
    setTimeout(tick, BACKGROUND_TICK_MS).unref()
  }

  stop(): void {
    this.#stopped = true
  }
}
