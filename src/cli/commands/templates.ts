import { Command, Option } from 'commander'
import type { V1 } from '../../client/index.js'
import { clientFor } from '../api.js'
import { bodyOf, formats, removeCommand } from '../client-commands.js'
import { type OutputFormat, print, type View } from '../output.js'
import { keyValue, list, nonNegativeInt, positiveInt } from '../parse.js'

/** Where a template comes from: its owner's own, shared by another user, or RunPod's. */
const visibility = (t: V1.Template) => (t.isRunpod ? 'official' : t.isPublic ? 'public' : 'private')

export const templateView: View<V1.Template> = {
  columns: (t) => ({
    id: t.id,
    name: t.name,
    image: t.imageName,
    category: t.category,
    kind: t.isServerless ? 'serverless' : 'pod',
    visibility: visibility(t),
  }),
  wide: (t) => ({
    disk_gb: t.containerDiskInGb,
    volume_gb: t.volumeInGb,
    mount: t.volumeMountPath,
    ports: t.ports.join(' '),
    env: Object.keys(t.env).join(' '),
    registry_auth: t.containerRegistryAuthId ?? '',
  }),
  name: (t) => t.id,
}

interface VisibilityOptions {
  public?: boolean
  official?: boolean
  endpointBound?: boolean
}

function visibilityQuery(o: VisibilityOptions): V1.TemplateVisibilityQuery {
  const query: V1.TemplateVisibilityQuery = {
    includePublicTemplates: o.public,
    includeRunpodTemplates: o.official,
    includeEndpointBoundTemplates: o.endpointBound,
  }
  return Object.fromEntries(Object.entries(query).filter(([, v]) => v !== undefined))
}

const withVisibility = (command: Command) =>
  command
    .option('--public', "include other users' public templates")
    .option('--official', "include RunPod's official templates")
    .option('--endpoint-bound', 'include your templates that endpoints run on')

interface FieldOptions {
  file?: string
  name?: string
  image?: string
  disk?: number
  volumeSize?: number
  volumeMount?: string
  ports?: string[]
  env?: Record<string, string>
  startCmd?: string[]
  entrypoint?: string[]
  registryAuth?: string
  public?: boolean
  readme?: string
  output: OutputFormat
}

/** The fields a template create and update share, one flag each. */
const withFields = (command: Command) =>
  command
    .option('-f, --file <path>', 'a JSON body (- for stdin); flags given win over it')
    .option('--name <name>', 'template name (unique among yours)')
    .option('--image <image>', 'container image')
    .option('--disk <gb>', 'container disk in GB', positiveInt)
    .option('--volume-size <gb>', 'pod volume in GB', nonNegativeInt)
    .option('--volume-mount <path>', 'where the volume is mounted')
    .option('--ports <ports>', 'ports like 22/tcp,8888/http', list)
    .option('--env <KEY=VALUE>', 'environment variable (repeatable)', keyValue)
    .option('--start-cmd <words>', 'docker start command words (comma-separated)', list)
    .option('--entrypoint <words>', 'docker entrypoint words (comma-separated)', list)
    .option('--registry-auth <id>', 'container registry auth for a private image')
    .option('--public', 'share the template with every user')
    .option('--no-public', 'keep the template to yourself')
    .option('--readme <markdown>', 'readme text')

const fieldsOf = (o: FieldOptions) => ({
  name: o.name,
  imageName: o.image,
  containerDiskInGb: o.disk,
  volumeInGb: o.volumeSize,
  volumeMountPath: o.volumeMount,
  ports: o.ports,
  env: o.env,
  dockerStartCmd: o.startCmd,
  dockerEntrypoint: o.entrypoint,
  containerRegistryAuthId: o.registryAuth,
  isPublic: o.public,
  readme: o.readme,
})

export function templatesCommand(): Command {
  const templates = new Command('templates')
    .alias('template')
    .description('list, create and edit templates (v1)')
    .addHelpText(
      'after',
      `
Examples:
  $ podplane templates ls --official -o wide
  $ podplane templates create --name jupyter --image runpod/base:0.6.2 --ports 8888/http,22/tcp
  $ podplane templates create --name worker --image me/worker:1 --serverless --env MODEL=llama
  $ podplane templates update <id> --image runpod/base:0.7.0 --env DEBUG=1
  $ podplane templates rm <id> --yes`,
    )

  withVisibility(
    templates.command('ls').alias('list').description('list your templates (and others on request)'),
  )
    .addOption(formats())
    .action(async function (this: Command, o: VisibilityOptions & { output: OutputFormat }) {
      print(o.output, await clientFor(this).v1.templates.list(visibilityQuery(o)), templateView)
    })

  templates
    .command('get <id>')
    .description('show one template: yours, a public one, an official one or one an endpoint runs on')
    .addOption(formats())
    .action(async function (this: Command, id: string, o: { output: OutputFormat }) {
      // An id names one template, so every kind is looked through rather than asking which.
      const template = await clientFor(this).v1.templates.get(id, {
        includePublicTemplates: true,
        includeRunpodTemplates: true,
        includeEndpointBoundTemplates: true,
      })
      print(o.output, template, templateView)
    })

  withFields(
    templates.command('create').description('create a template from flags, a JSON file, or both (flags win)'),
  )
    .addOption(new Option('--category <category>', 'hardware it is for').choices(['NVIDIA', 'AMD', 'CPU']))
    .option('--serverless', 'a template for serverless endpoints')
    .addOption(formats())
    .addHelpText(
      'after',
      `
Examples:
  $ podplane templates create --name jupyter --image runpod/base:0.6.2 --disk 20 --ports 8888/http
  $ podplane templates create -f template.json --name copy-of-it`,
    )
    .action(async function (
      this: Command,
      o: FieldOptions & { category?: 'NVIDIA' | 'AMD' | 'CPU'; serverless?: boolean },
    ) {
      const body = bodyOf<V1.TemplateCreateInput>(o.file, {
        ...fieldsOf(o),
        category: o.category,
        isServerless: o.serverless,
      })
      if (!body.name || !body.imageName)
        this.error('error: a template needs --name and --image (or both in -f)', { exitCode: 2 })
      print(o.output, await clientFor(this).v1.templates.create(body), templateView)
    })

  withFields(
    templates.command('update <id>').description('change a template; endpoints on it roll out a new release'),
  )
    .addOption(formats())
    .addHelpText(
      'after',
      `
Examples:
  $ podplane templates update <id> --image runpod/base:0.7.0
  $ podplane templates update <id> --no-public --env HF_TOKEN=hf_…`,
    )
    .action(async function (this: Command, id: string, o: FieldOptions) {
      const body = bodyOf<V1.TemplateUpdateInput>(o.file, fieldsOf(o))
      if (Object.keys(body).length === 0)
        this.error('error: nothing to change: give a flag or -f', { exitCode: 2 })
      print(o.output, await clientFor(this).v1.templates.update(id, body), templateView)
    })

  templates.addCommand(removeCommand('templates', 'template', (client, id) => client.v1.templates.delete(id)))
  return templates
}
