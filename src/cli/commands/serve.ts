import { Command } from 'commander'
import { loadConfig } from '../../config.js'
import { HEAP_GROWING_PERCENT, limitHeapGrowth } from '../heap-growth.js'

export function serveCommand(): Command {
  return new Command('serve')
    .description('serve the API (HOST, PORT, PODPLANE_DB from the environment)')
    .addHelpText(
      'after',
      `\nMemory: the heap may grow ${HEAP_GROWING_PERCENT}% past what survived its last full collection.` +
        '\nFor another margin, start the server as: node --heap-growing-percent=N dist/podplane.mjs serve',
    )
    .action(async () => {
      limitHeapGrowth()
      // Loaded on demand: the HTTP stack is heavy and other commands do not need it.
      const { closeOnSignals, startServer } = await import('../../server.js')
      const server = await startServer(loadConfig())
      closeOnSignals(server)
    })
}
