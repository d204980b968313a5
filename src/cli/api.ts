import type { Command } from 'commander'
import { PodplaneClient, PodplaneError } from '../client/index.js'
import { resolveConnection } from './profiles.js'

const RUNPOD_HOSTS = /^https:\/\/(rest|api)\.runpod\.io\/?$/

/**
 * The client a client command talks through: the connection of `--profile` (or the environment).
 * A profile pointing at RunPod (`https://rest.runpod.io` or `https://api.runpod.io`) gets RunPod's
 * two hosts, v1 on rest. and v2 on api.; anything else is a podplane server root serving both.
 */
export function clientFor(command: Command): PodplaneClient {
  const { profile } = command.optsWithGlobals() as { profile?: string }
  const connection = resolveConnection(profile)
  if (!connection.key)
    throw new Error(
      `no API key for profile ${connection.profile}: run podplane config set key <key>, or set PODPLANE_API_KEY`,
    )
  return RUNPOD_HOSTS.test(connection.url)
    ? PodplaneClient.runpod({ apiKey: connection.key })
    : new PodplaneClient({ baseUrl: connection.url, apiKey: connection.key })
}

/** One line for a failure: the server's own message, each field at fault, and the request id. */
export function describeFailure(error: unknown): string {
  if (!(error instanceof PodplaneError)) return error instanceof Error ? error.message : String(error)
  const fields = error.errors.length > 0 ? ` (${error.errors.join('; ')})` : ''
  const request = error.requestId ? ` [request ${error.requestId}]` : ''
  return `${error.status} ${error.message}${fields}${request}`
}
