import { Command, InvalidArgumentError } from 'commander'
import { defaultStateDir } from '../../agent/credentials.js'
import { parseGpuDeclaration } from '../../agent/inventory.js'
import type { InventoryGpu } from '../../agent/protocol.js'
import { positiveInt } from '../parse.js'

interface AgentCommandOptions {
  server: string
  token?: string
  stateDir?: string
  dockerHost?: string
  gpus?: InventoryGpu
  publicIp?: string
  dataDir?: string
  networkVolumeDir?: string
  pollInterval: number
  heartbeatInterval: number
}

function gpuDeclaration(value: string): InventoryGpu {
  try {
    return parseGpuDeclaration(value)
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message)
  }
}

export function agentCommand(): Command {
  return new Command('agent')
    .description("run this host's pods for a podplane server: register, then keep containers matching it")
    .requiredOption('--server <url>', 'the podplane server, e.g. https://podplane.internal:8080')
    .option(
      '--token <joinToken>',
      'join token for the first registration (later runs use the saved credential)',
    )
    .option(
      '--state-dir <dir>',
      'where the credential is kept (default $PODPLANE_AGENT_STATE or ~/.podplane/agent)',
    )
    .option(
      '--docker-host <host>',
      'Docker Engine API: unix:///path, /path, tcp://host:port (default $DOCKER_HOST or /var/run/docker.sock)',
    )
    .option(
      '--gpus <name:count>',
      'declare the GPUs instead of asking nvidia-smi, e.g. "NVIDIA A40:4"',
      gpuDeclaration,
    )
    .option('--public-ip <ip>', 'where published pod ports answer (default: the first external IPv4)')
    .option('--data-dir <dir>', 'where pod volumes live (default <state dir>/data)')
    .option(
      '--network-volume-dir <dir>',
      "the data center's shared storage, mounted on every host, holding network volumes (default <data dir>/network-volumes)",
    )
    .option(
      '--poll-interval <ms>',
      'how often to read the desired state while the watch is down',
      positiveInt,
      5000,
    )
    .option('--heartbeat-interval <ms>', 'how often to send a heartbeat', positiveInt, 5000)
    .action(async (o: AgentCommandOptions) => {
      // Loaded on demand: dockerode is only for the agent.
      const { runAgent } = await import('../../agent/agent.js')
      const { stderrLogger } = await import('../../agent/logger.js')
      const stateDir = o.stateDir ?? defaultStateDir()
      const stop = new AbortController()
      process.once('SIGINT', () => stop.abort())
      process.once('SIGTERM', () => stop.abort())
      const code = await runAgent(
        {
          server: o.server,
          token: o.token,
          stateDir,
          dockerHost: o.dockerHost ?? (process.env.DOCKER_HOST || '/var/run/docker.sock'),
          gpus: o.gpus,
          publicIp: o.publicIp,
          dataDir: o.dataDir ?? `${stateDir}/data`,
          networkVolumeDir: o.networkVolumeDir,
          pollIntervalMs: o.pollInterval,
          heartbeatIntervalMs: o.heartbeatInterval,
          logger: stderrLogger,
        },
        stop.signal,
      )
      process.exit(code)
    })
}
