import { Command } from 'commander'
import type { V1 } from '../../client/index.js'
import { clientFor } from '../api.js'
import { bodyOf, formats, removeCommand } from '../client-commands.js'
import { type OutputFormat, print, type View } from '../output.js'
import { nonNegativeInt } from '../parse.js'

export const volumeView: View<V1.NetworkVolume> = {
  columns: (v) => ({ id: v.id, name: v.name, size_gb: v.size, dc: v.dataCenterId }),
  name: (v) => v.id,
}

export function volumesCommand(): Command {
  const volumes = new Command('volumes')
    .alias('volume')
    .description('list, create, grow and delete network volumes (v1)')
    .addHelpText(
      'after',
      `
Examples:
  $ podplane volumes ls
  $ podplane volumes create --name models --size 100 --dc EU-RO-1
  $ podplane volumes update <id> --size 200
  $ podplane pods create --image runpod/base:0.6.2 --network-volume <id>
  $ podplane volumes rm <id> --yes`,
    )

  volumes
    .command('ls')
    .alias('list')
    .description('list your network volumes')
    .addOption(formats())
    .action(async function (this: Command, o: { output: OutputFormat }) {
      print(o.output, await clientFor(this).v1.networkVolumes.list(), volumeView)
    })

  volumes
    .command('get <id>')
    .description('show one network volume')
    .addOption(formats())
    .action(async function (this: Command, id: string, o: { output: OutputFormat }) {
      print(o.output, await clientFor(this).v1.networkVolumes.get(id), volumeView)
    })

  volumes
    .command('create')
    .description('create a network volume in one data center')
    .option('-f, --file <path>', 'a NetworkVolumeCreateInput JSON file (- for stdin); flags win')
    .option('--name <name>', 'volume name')
    .option('--size <gb>', 'size in GB', nonNegativeInt)
    .option('--dc <id>', 'data center that holds it (pods using it are placed there)')
    .addOption(formats())
    .addHelpText('after', '\nExamples:\n  $ podplane volumes create --name models --size 100 --dc EU-RO-1')
    .action(async function (
      this: Command,
      o: { file?: string; name?: string; size?: number; dc?: string; output: OutputFormat },
    ) {
      const body = bodyOf<V1.NetworkVolumeCreateInput>(o.file, {
        name: o.name,
        size: o.size,
        dataCenterId: o.dc,
      })
      if (!body.name || body.size === undefined || !body.dataCenterId)
        this.error('error: a network volume needs --name, --size and --dc (or them in -f)', { exitCode: 2 })
      print(o.output, await clientFor(this).v1.networkVolumes.create(body), volumeView)
    })

  volumes
    .command('update <id>')
    .description('rename a network volume or grow it (it never shrinks)')
    .option('--name <name>', 'new name')
    .option('--size <gb>', 'new size in GB, at least the current one', nonNegativeInt)
    .addOption(formats())
    .addHelpText('after', '\nExamples:\n  $ podplane volumes update <id> --size 200 --name models-v2')
    .action(async function (
      this: Command,
      id: string,
      o: { name?: string; size?: number; output: OutputFormat },
    ) {
      const body = bodyOf<V1.NetworkVolumeUpdateInput>(undefined, { name: o.name, size: o.size })
      if (Object.keys(body).length === 0)
        this.error('error: nothing to change: give --name or --size', { exitCode: 2 })
      print(o.output, await clientFor(this).v1.networkVolumes.update(id, body), volumeView)
    })

  volumes.addCommand(
    removeCommand('volumes', 'network volume', (client, id) => client.v1.networkVolumes.delete(id)),
  )
  return volumes
}
