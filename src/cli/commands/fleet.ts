import { Command, InvalidArgumentError } from 'commander'
import { seedFleet } from '../../fleet/seed.js'
import { withStore } from '../store.js'

function positiveInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer')
  return n
}

export function fleetCommand(): Command {
  const fleet = new Command('fleet').description('the machines pods run on')

  fleet
    .command('seed')
    .description('add a deterministic simulated fleet (same seed, same machines; re-running adds nothing)')
    .option('--machines <n>', 'how many machines to generate', positiveInt, 300)
    .option('--seed <s>', 'the generator seed', positiveInt, 1)
    .addHelpText('after', '\nExample:\n  npm run -s podplane -- fleet seed --machines 10000 --seed 7')
    .action(async (options: { machines: number; seed: number }) => {
      const { inserted } = await withStore((store) =>
        seedFleet(store, { machines: options.machines, seed: options.seed, now: Date.now() }),
      )
      process.stdout.write(`added ${inserted} machines (seed ${options.seed})\n`)
    })

  return fleet
}
