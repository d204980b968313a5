import { readFileSync } from 'node:fs'
import { Command } from 'commander'
import type { V1 } from '../../client/index.js'
import { clientFor } from '../api.js'
import { formats, removeCommand } from '../client-commands.js'
import { type OutputFormat, print, type View } from '../output.js'

export const registryAuthView: View<V1.ContainerRegistryAuth> = {
  columns: (a) => ({ id: a.id, name: a.name }),
  name: (a) => a.id,
}

/** All of stdin, less the one line ending `echo` or a file adds (as `docker login` reads it). */
function passwordFromStdin(): string {
  return readFileSync(0, 'utf8').replace(/\r?\n$/, '')
}

export function registryAuthsCommand(): Command {
  const auths = new Command('registry-auths')
    .alias('registry-auth')
    .description('credentials for private container images (v1; only id and name come back)')
    .addHelpText(
      'after',
      `
Examples:
  $ podplane registry-auths ls
  $ echo "$GHCR_TOKEN" | podplane registry-auths create --name ghcr --username me --password-stdin
  $ podplane pods create --image ghcr.io/me/app:1 --registry-auth <id>
  $ podplane registry-auths rm <id> --yes`,
    )

  auths
    .command('ls')
    .alias('list')
    .description('list your container registry auths')
    .addOption(formats())
    .action(async function (this: Command, o: { output: OutputFormat }) {
      print(o.output, await clientFor(this).v1.containerRegistryAuths.list(), registryAuthView)
    })

  auths
    .command('get <id>')
    .description('show one container registry auth')
    .addOption(formats())
    .action(async function (this: Command, id: string, o: { output: OutputFormat }) {
      print(o.output, await clientFor(this).v1.containerRegistryAuths.get(id), registryAuthView)
    })

  auths
    .command('create')
    .description('store a registry username and password (the password is never shown again)')
    .requiredOption('--name <name>', 'a name to refer to it by')
    .requiredOption('--username <username>', 'registry username')
    .option('--password-stdin', 'read the password from stdin (preferred: it stays out of shell history)')
    .option('--password <password>', 'the password itself, for scripts that cannot pipe')
    .addOption(formats())
    .addHelpText(
      'after',
      `
Examples:
  $ echo "$TOKEN" | podplane registry-auths create --name ghcr --username me --password-stdin
  $ podplane registry-auths create --name hub --username me --password-stdin < token.txt`,
    )
    .action(async function (
      this: Command,
      o: { name: string; username: string; passwordStdin?: boolean; password?: string; output: OutputFormat },
    ) {
      if ((o.passwordStdin === true) === (o.password !== undefined))
        this.error('error: give the password with exactly one of --password-stdin or --password', {
          exitCode: 2,
        })
      const password = o.passwordStdin ? passwordFromStdin() : (o.password ?? '')
      if (password === '') this.error('error: the password is empty', { exitCode: 2 })
      const auth = await clientFor(this).v1.containerRegistryAuths.create({
        name: o.name,
        username: o.username,
        password,
      })
      print(o.output, auth, registryAuthView)
    })

  auths.addCommand(
    removeCommand('registry-auths', 'container registry auth', (client, id) =>
      client.v1.containerRegistryAuths.delete(id),
    ),
  )
  return auths
}
