import { randomBytes } from 'node:crypto'
import { Command } from 'commander'
import { generateApiKey, hashApiKey } from '../../domain/api-keys.js'
import { withStore } from '../store.js'
import { formatTable } from '../table.js'

const USER_ID = /^[A-Za-z0-9_.@-]{1,191}$/

export function keysCommand(): Command {
  const keys = new Command('keys').description('manage API keys (stored hashed; a key is shown once)')

  keys
    .command('create')
    .description('create an API key and print it (only the key, on stdout)')
    .option('--user <userId>', 'the user the key acts as (created if new); "admin" for admin keys by default')
    .option('--admin', 'an operator key for /admin/v1 (on /v1 it acts as its own user)')
    .option('--name <label>', 'a label to tell keys apart', 'default')
    .addHelpText(
      'after',
      '\nExamples:\n  npm run -s podplane -- keys create --user alice\n  npm run -s podplane -- keys create --admin',
    )
    .action(async (options: { user?: string; admin?: boolean; name: string }, command: Command) => {
      const user = options.user ?? (options.admin ? 'admin' : undefined)
      if (user === undefined)
        command.error('error: --user <userId> is required (or --admin)', { exitCode: 2 })
      if (!USER_ID.test(user)) {
        throw new Error('--user must be 1-191 characters of letters, digits, "_", ".", "@" or "-"')
      }
      const key = generateApiKey()
      await withStore(async (store) => {
        const now = Date.now()
        await store.apiKeys.ensureUser(user, now)
        await store.apiKeys.insert({
          id: randomBytes(6).toString('hex'),
          user_id: user,
          name: options.name,
          key_hash: hashApiKey(key),
          key_prefix: key.slice(0, 8),
          is_admin: options.admin ? 1 : 0,
          created_at: now,
          revoked_at: null,
        })
      })
      process.stdout.write(`${key}\n`)
    })

  keys
    .command('list')
    .description('list API keys (never the keys themselves)')
    .option('--user <userId>', 'only this user’s keys')
    .action(async (options: { user?: string }) => {
      const rows = await withStore((store) => store.apiKeys.list(options.user))
      const table = rows.map((k) => ({
        id: k.id,
        user: k.user_id,
        name: k.name,
        admin: k.is_admin === 1 ? 'yes' : '',
        prefix: `${k.key_prefix}…`,
        created: new Date(k.created_at).toISOString(),
        revoked: k.revoked_at === null ? '' : new Date(k.revoked_at).toISOString(),
      }))
      process.stdout.write(table.length === 0 ? 'no keys\n' : formatTable(table))
    })

  keys
    .command('revoke <keyId>')
    .description('revoke a key; requests with it get 401 at once')
    .action(async (keyId: string) => {
      const revoked = await withStore((store) => store.apiKeys.revoke(keyId, Date.now()))
      if (!revoked) throw new Error(`no live key with id ${keyId}`)
      process.stdout.write(`revoked ${keyId}\n`)
    })

  return keys
}
