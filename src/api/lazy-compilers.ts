import SerializerSelector from '@fastify/fast-json-stringify-compiler'
import type { FastifySchemaCompiler } from 'fastify'

/**
 * Route validators and serializers compiled after start-up instead of before it. A server has a
 * few hundred routes (v1, v2, admin, agent) and compiling every schema up front was about a third
 * of the time from `npm start` to ready. Each is compiled once: by its first request, or — once
 * the server listens — in the background, one at a time between requests (`compileInBackground`),
 * so no request pays for a compilation either.
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

  /** Compiles what no request has needed yet, one schema per turn of the event loop. */
  compileInBackground(): void {
    const next = () => {
      const ensure = this.#waiting.values().next().value
      if (this.#stopped || !ensure) return
      try {
        ensure()
      } catch {
        // A schema that does not compile fails its route's requests, where it can be seen.
      }
      setImmediate(next)
    }
    setImmediate(next)
  }

  stop(): void {
    this.#stopped = true
  }
}
