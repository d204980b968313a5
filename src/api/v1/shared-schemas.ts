import Type from 'typebox'
import { MapOf } from '../schema-helpers.js'

export const NAME = Type.String({ maxLength: 191, description: 'A user-defined name.' })
export const PORTS = Type.Array(Type.String({ maxLength: 16 }), {
  maxItems: 64,
  description: 'Ports exposed, each as [port number]/[protocol] with protocol http or tcp.',
  example: ['8888/http', '22/tcp'],
})
export const ENV = MapOf(Type.String({ maxLength: 32_768 }), { example: { ENV_VAR: 'value' } })
export const STRINGS = Type.Array(Type.String())
export const IMAGE = Type.String({ minLength: 1, maxLength: 1024, description: 'Docker image name.' })
export const ID = Type.String({ maxLength: 191 })
