import { Command, Option } from 'commander'
import type { SavingsPlan } from '../../domain/resources.js'
import { SAVINGS_TERMS } from '../../domain/savings-plans.js'
import { withContext } from '../store.js'
import { formatTable } from '../table.js'

const row = (p: SavingsPlan) => ({
  id: p.id,
  pod: p.podId,
  gpu: p.gpuTypeId,
  costPerHr: p.costPerHr,
  start: new Date(p.startTime).toISOString(),
  end: new Date(p.endTime).toISOString(),
})

export function savingsPlansCommand(): Command {
  const plans = new Command('savings-plans').description("buy and list pods' savings plans (server-side)")

  plans
    .command('create')
    .description('lock a discounted rate for an on-demand Secure Cloud GPU pod')
    .requiredOption('--user <userId>', 'the pod’s owner')
    .requiredOption('--pod <podId>', 'the pod')
    .addOption(
      new Option('--term <term>', 'how long the rate is locked')
        .choices(Object.keys(SAVINGS_TERMS))
        .makeOptionMandatory(),
    )
    .option('--start <iso>', 'when the plan starts (default now)')
    .addHelpText(
      'after',
      '\nExample:\n  npm run -s podplane -- savings-plans create --user alice --pod xedezhzb9la3ye --term ONE_MONTH',
    )
    .action(async (o: { user: string; pod: string; term: keyof typeof SAVINGS_TERMS; start?: string }) => {
      const plan = await withContext((ctx) =>
        ctx.savingsPlans.create(o.user, o.pod, { term: o.term, startTime: o.start }),
      )
      process.stdout.write(formatTable([row(plan)]))
    })

  plans
    .command('list')
    .description("list a pod's savings plans")
    .requiredOption('--user <userId>', 'the pod’s owner')
    .requiredOption('--pod <podId>', 'the pod')
    .action(async (o: { user: string; pod: string }) => {
      const list = await withContext((ctx) => ctx.savingsPlans.list(o.user, o.pod))
      process.stdout.write(list.length === 0 ? 'no savings plans\n' : formatTable(list.map(row)))
    })

  return plans
}
