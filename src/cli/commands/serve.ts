import { Command } from 'commander'
import { loadConfig } from '../../config.js'
import { limitHeapGrowth } from '../heap-growth.js'

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the API (HOST, PORT, PODPLANE_DB from the environment)')
    .action(async () => {
      limitHeapGrowth()
      // Loaded on demand: the HTTP stack is heavy and other commands do not need it.
      const { closeOnSignals, startServer } = await import('../../server.js')
      const server = await startServer(loadConfig())
      closeOnSignals(server)
    })
}
