import { Command, InvalidArgumentError } from 'commander'
import { DEFAULT_JOIN_TOKEN_TTL_S } from '../../api/admin/join-tokens.js'
import type { JoinTokenView } from '../../domain/agents.js'
import { type OutputFormat, outputOption, print } from '../output.js'
import { duration } from '../parse.js'
import { withContext } from '../store.js'

const columns = (t: JoinTokenView) => ({
  id: t.id,
  dc: t.dataCenterId,
  cloud: t.secureCloud ? 'secure' : 'community',
  expires: t.expiresAt ?? 'never',
  revoked: t.revokedAt ?? '',
  note: t.note ?? '',
})

/** `--expires 24h`, or `never`. */
function expiry(value: string): number | null {
  if (value === 'never') return null
  const ms = duration(value)
  if (ms < 1000) throw new InvalidArgumentError('must be at least 1s, or "never"')
  return ms
}

/** `podplane fleet join-token …`: what an operator hands to `podplane agent --token` on a new host. */
export function joinTokenCommand(): Command {
  const tokens = new Command('join-token').description(
    'tokens that let hosts join the fleet with podplane agent',
  )

  tokens
    .command('create')
    .description('create a join token and print it (only the token, on stdout)')
    .requiredOption('--dc <dataCenterId>', 'the data center the joining machines are in')
    .option(
      '--expires <duration>',
      'how long the token works (30m, 24h, 7d, or never)',
      expiry,
      DEFAULT_JOIN_TOKEN_TTL_S * 1000,
    )
    .option('--community', 'machines join Community Cloud (default Secure Cloud)')
    .option('--note <text>', 'a note for operators')
    .addOption(outputOption())
    .addHelpText(
      'after',
      '\nExamples:\n  podplane fleet join-token create --dc US-TX-3 --expires 24h\n  podplane agent --server https://podplane.example --token "$(podplane fleet join-token create --dc US-TX-3)"',
    )
    .action(
      async (o: {
        dc: string
        expires: number | null
        community?: boolean
        note?: string
        output: OutputFormat
      }) => {
        const created = await withContext((ctx) =>
          ctx.agents.createJoinToken({
            dataCenterId: o.dc,
            expiresInMs: o.expires,
            secureCloud: !o.community,
            note: o.note,
          }),
        )
        if (o.output === 'json') process.stdout.write(`${JSON.stringify(created, null, 2)}\n`)
        else process.stdout.write(`${created.token}\n`)
      },
    )

  tokens
    .command('ls')
    .description('list join tokens (never the tokens themselves)')
    .addOption(outputOption())
    .addHelpText('after', '\nExample:\n  podplane fleet join-token ls -o json')
    .action(async (o: { output: OutputFormat }) => {
      print(o.output, await withContext((ctx) => ctx.agents.listJoinTokens()), columns)
    })

  tokens
    .command('rm')
    .description('revoke a join token (machines that joined with it stay)')
    .argument('<id>', 'the join token id (from ls)')
    .addHelpText('after', '\nExample:\n  podplane fleet join-token rm <id>')
    .action(async (id: string) => {
      await withContext((ctx) => ctx.agents.revokeJoinToken(id))
      process.stdout.write(`revoked ${id}\n`)
    })

  return tokens
}
