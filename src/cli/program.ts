import { Command } from 'commander'
import { agentCommand } from './commands/agent.js'
import { billingCommand } from './commands/billing.js'
import { completionCommand } from './commands/completion.js'
import { configCommand } from './commands/config.js'
import { dbCommand } from './commands/db.js'
import { endpointsCommand } from './commands/endpoints.js'
import { fleetCommand } from './commands/fleet.js'
import { gpusCommand } from './commands/gpus.js'
import { keysCommand } from './commands/keys.js'
import { podsCommand } from './commands/pods.js'
import { registryAuthsCommand } from './commands/registry-auths.js'
import { savingsPlansCommand } from './commands/savings-plans.js'
import { serveCommand } from './commands/serve.js'
import { templatesCommand } from './commands/templates.js'
import { usersCommand } from './commands/users.js'
import { volumesCommand } from './commands/volumes.js'
import { addExamples } from './examples.js'

/** The whole `podplane` command tree: client commands, then server-side ones. */
export function buildProgram(): Command {
  const program = new Command('podplane')
    .description("An open control plane for GPU pods that speaks RunPod's REST API")
    .option('--profile <name>', 'connection profile for client commands (see podplane config)')

  program.commandsGroup('Client commands (talk to a server over HTTP):')
  program.addCommand(configCommand())
  program.addCommand(podsCommand())
  program.addCommand(templatesCommand())
  program.addCommand(volumesCommand())
  program.addCommand(endpointsCommand())
  program.addCommand(registryAuthsCommand())
  program.addCommand(gpusCommand())
  program.addCommand(billingCommand())
  program.addCommand(completionCommand(() => program))

  program.commandsGroup('Server-side commands (run on the server, against its store):')
  program.addCommand(serveCommand())
  program.addCommand(keysCommand())
  program.addCommand(fleetCommand())
  program.addCommand(dbCommand())
  program.addCommand(usersCommand())
  program.addCommand(savingsPlansCommand())
  program.addCommand(agentCommand())

  // Usage mistakes exit 2 (help and version exit 0); failures of a command exit 1.
  const strict = (command: Command): void => {
    command.showHelpAfterError().exitOverride((error) => process.exit(error.exitCode === 0 ? 0 : 2))
    command.commands.forEach(strict)
  }
  addExamples(program)
  strict(program)
  return program
}
