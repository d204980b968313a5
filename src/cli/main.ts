#!/usr/bin/env node
import { Command } from 'commander'
import { dbCommand } from './commands/db.js'
import { fleetCommand } from './commands/fleet.js'
import { keysCommand } from './commands/keys.js'
import { savingsPlansCommand } from './commands/savings-plans.js'
import { serveCommand } from './commands/serve.js'
import { usersCommand } from './commands/users.js'

const program = new Command('podplane').description(
  "An open control plane for GPU pods that speaks RunPod's REST API",
)
program.addCommand(serveCommand())
program.addCommand(keysCommand())
program.addCommand(fleetCommand())
program.addCommand(dbCommand())
program.addCommand(usersCommand())
program.addCommand(savingsPlansCommand())

// Usage mistakes exit 2 (help and version exit 0); failures of a command exit 1.
const strict = (command: Command): void => {
  command.showHelpAfterError().exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
  command.commands.forEach(strict)
}
strict(program)

program.parseAsync(process.argv).catch((error: unknown) => {
  process.stderr.write(`podplane: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
