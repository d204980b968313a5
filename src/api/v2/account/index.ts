import Type from 'typebox'
import type { App, AppContext } from '../../context.js'
import { problems } from '../common.js'

/** An authorized_keys line, `<type> <base64-key> [comment]`, as RunPod's v2 spec checks it. */
const SSH_KEY = Type.String({
  pattern: '^(ssh|ecdsa|sk)-[^\\s]+ [^\\s]+([ \\t][^\\n\\r]*)?$',
  maxLength: 16_384,
})

export const SshKeys = Type.Object({
  keys: Type.Array(Type.String(), { description: 'authorized_keys lines, in the order they were set' }),
})

export const UpdateSshKeysBody = Type.Object(
  { keys: Type.Array(SSH_KEY, { maxItems: 100, description: 'The complete new set; `[]` removes all' }) },
  { additionalProperties: false },
)

const TAGS = ['account']

/** The account's SSH public keys, which pods created with `startSsh` receive as `PUBLIC_KEY`. */
export function accountRoutes(v2: App, ctx: AppContext): void {
  v2.get(
    '/account/ssh-keys',
    {
      schema: {
        operationId: 'getSshKeys',
        summary: 'List registered SSH public keys',
        tags: TAGS,
        response: { 200: SshKeys, ...problems(401, 429) },
      },
    },
    async (request) => ({ keys: await ctx.store.account.sshKeys(request.auth.userId) }),
  )

  v2.put(
    '/account/ssh-keys',
    {
      schema: {
        operationId: 'updateSshKeys',
        summary: 'Replace registered SSH public keys',
        description: 'Replaces the whole set. Pods created afterwards with `startSsh` get the new keys.',
        tags: TAGS,
        body: UpdateSshKeysBody,
        response: { 200: SshKeys, ...problems(401, 422, 429) },
      },
    },
    async (request) => {
      const { keys } = request.body
      await ctx.store.account.setSshKeys(request.auth.userId, keys)
      return { keys }
    },
  )
}
