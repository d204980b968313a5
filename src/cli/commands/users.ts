import { Command, InvalidArgumentError } from 'commander'
import { userView } from '../../api/admin/views.js'
import { billingRange } from '../../domain/billing.js'
import { type OutputFormat, outputOption, print } from '../output.js'
import { withContext } from '../store.js'

type UserView = ReturnType<typeof userView>

const columns = (u: UserView) => ({
  id: u.id,
  disabled: u.disabled ? 'yes' : 'no',
  keys: u.liveKeys,
  runningPods: u.runningPods,
  '$/hr': u.runningCostPerHr,
  limits: (['minute', 'hour', 'day'] as const).map((w) => `${w}=${u.rateLimits[w] ?? 'default'}`).join(' '),
})

/** `--minute 600` sets a quota; `--minute default` puts the window back on the server's default. */
/** Commander turns a parser's null into '', so "default" stays a word until the action. */
function quota(value: string): number | 'default' {
  if (value === 'default') return value
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a positive integer or "default"')
  return n
}

type Quota = number | 'default'

export function usersCommand(): Command {
  const users = new Command('users').description(
    'users: list, disable, enable, rate limits, usage (server-side)',
  )

  users
    .command('ls')
    .description('list users with what they run now')
    .addOption(outputOption())
    .action(async (o: { output: OutputFormat }) => {
      print(o.output, await withContext(async (ctx) => (await ctx.users.list()).map(userView)), columns)
    })

  for (const [name, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    users
      .command(`${name} <userId>`)
      .description(disabled ? 'disable a user: their keys stop working at once' : 'enable a user again')
      .addOption(outputOption())
      .action(async (id: string, o: { output: OutputFormat }) => {
        print(
          o.output,
          await withContext(async (ctx) => userView(await ctx.users.setDisabled(id, disabled))),
          columns,
        )
      })
  }

  users
    .command('rate-limits <userId>')
    .description("set a user's v2 request quotas (the server's defaults come from PODPLANE_RATE_LIMITS)")
    .option('--minute <n>', 'requests per minute, or "default"', quota)
    .option('--hour <n>', 'requests per hour, or "default"', quota)
    .option('--day <n>', 'requests per day, or "default"', quota)
    .addOption(outputOption())
    .action(async (id: string, o: { minute?: Quota; hour?: Quota; day?: Quota; output: OutputFormat }) => {
      const { output, ...given } = o
      const limits = Object.fromEntries(
        Object.entries(given).map(([window, n]) => [window, n === 'default' ? null : n]),
      )
      print(
        output,
        await withContext(async (ctx) => userView(await ctx.users.setRateLimits(id, limits))),
        columns,
      )
    })

  users
    .command('usage <userId>')
    .description('what a user runs now and spent in a range (default: the last 30 days)')
    .option('--since <iso>', 'start of the range')
    .option('--until <iso>', 'end of the range')
    .addOption(outputOption())
    .action(async (id: string, o: { since?: string; until?: string; output: OutputFormat }) => {
      const usage = await withContext((ctx) =>
        ctx.users.usage(id, billingRange({ startTime: o.since, endTime: o.until }, ctx.clock.now())),
      )
      const money = (x: number) => Math.round(x * 100) / 100
      print(o.output, usage, (u) => ({
        id: u.id,
        runningPods: u.runningPods,
        '$/hr now': u.runningCostPerHr,
        pods: money(u.spend.pods),
        endpoints: money(u.spend.endpoints),
        volumes: money(u.spend.networkVolumes),
        total: money(u.spend.total),
      }))
    })

  return users
}
