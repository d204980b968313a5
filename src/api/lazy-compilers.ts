import SerializerSelector from '@fastify/fast-json-stringify-compiler'
import type { FastifySchemaCompiler } from 'fastify'

/**
 * Route validators and serializers compiled on their first use instead of at start-up. A server
 * has a few hundred routes (v1, v2, admin, agent) and compiling every schema up front was about
 * a third of the time from `npm start` to ready; each is still compiled once, by its first request.
 */
export function lazyValidatorCompiler(compile: FastifySchemaCompiler<object>): FastifySchemaCompiler<object> {
  return (route) => {
    let validate: ReturnType<FastifySchemaCompiler<object>> | undefined
    // Fastify reads a failed validation's `errors` from the function it was given.
    const lazy = (data: unknown) => {
      validate ??= compile(route)
      const result = validate(data)
      lazy.errors = (validate as { errors?: unknown }).errors
      return result
    }
    lazy.errors = undefined as unknown
    return lazy as ReturnType<FastifySchemaCompiler<object>>
  }
}

/** Fastify's own serializer (fast-json-stringify), built for a route when it first answers. */
export const lazySerializerFactory: SerializerSelector.SerializerFactory = (externalSchemas, options) => {
  const compile = SerializerSelector()(externalSchemas, options)
  return (route) => {
    let serialize: SerializerSelector.Serializer | undefined
    return (data) => {
      serialize ??= compile(route)
      return serialize(data)
    }
  }
}
