import { Command } from 'commander'
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
})

export function usersCommand(): Command {
  const users = new Command('users').description('users: list, disable, enable, usage (server-side)')

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
