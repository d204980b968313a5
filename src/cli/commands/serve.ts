import { Command } from 'commander'
import { loadConfig } from '../../config.js'
import { closeOnSignals, startServer } from '../../server.js'

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the API (HOST, PORT, PODPLANE_DB from the environment)')
    .action(async () => {
      const server = await startServer(loadConfig())
      closeOnSignals(server)
    })
}
