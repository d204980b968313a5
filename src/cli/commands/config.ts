import { Argument, Command } from 'commander'
import { type OutputFormat, outputOption, print } from '../output.js'
import {
  maskKey,
  PROFILE_SETTINGS,
  type ProfileSetting,
  profileFilePath,
  readProfiles,
  resolveConnection,
  writeProfiles,
} from '../profiles.js'

/** The `--profile` given anywhere on the command line (a global option of the program). */
const profileOf = (command: Command): string | undefined =>
  (command.optsWithGlobals() as { profile?: string }).profile

const settingArgument = () => new Argument('<setting>', 'what to set').choices(PROFILE_SETTINGS)

export function configCommand(): Command {
  const config = new Command('config')
    .description('where the client commands connect: server URL and API key, in named profiles')
    .addHelpText(
      'after',
      `
Examples:
  $ podplane config set url http://gpu-cloud.internal:8080
  $ podplane config set key rpa_XXXX
  $ podplane --profile runpod config set url https://rest.runpod.io   # RunPod itself
  $ podplane config use runpod
  $ podplane config view

The file is ${profileFilePath()} (or $PODPLANE_CONFIG), mode 0600.
PODPLANE_API_URL, PODPLANE_API_KEY (or RUNPOD_API_KEY) and PODPLANE_PROFILE override it.`,
    )

  config
    .command('set')
    .description('set the URL or key of a profile (the current one unless --profile)')
    .addArgument(settingArgument())
    .argument('<value>')
    .action(function (this: Command, setting: ProfileSetting, value: string) {
      if (setting === 'url' && !/^https?:\/\/[^\s]+$/.test(value))
        throw new Error(`url must start with http:// or https://, not ${value}`)
      const path = profileFilePath()
      const file = readProfiles(path)
      const name = profileOf(this) || process.env.PODPLANE_PROFILE || file.current
      const profile = {
        ...file.profiles[name],
        [setting]: setting === 'url' ? value.replace(/\/+$/, '') : value,
      }
      writeProfiles(path, { ...file, profiles: { ...file.profiles, [name]: profile } })
      process.stdout.write(`profile ${name}: ${setting} set\n`)
    })

  config
    .command('get')
    .description('print the URL or key the client commands would use (environment included)')
    .addArgument(settingArgument())
    .action(function (this: Command, setting: ProfileSetting) {
      const connection = resolveConnection(profileOf(this))
      const value = connection[setting]
      if (value === undefined) throw new Error(`no ${setting} set for profile ${connection.profile}`)
      process.stdout.write(`${value}\n`)
    })

  config
    .command('view')
    .description('show the connection in effect and where each value comes from (the key masked)')
    .addOption(outputOption())
    .action(function (this: Command, o: { output: OutputFormat }) {
      const c = resolveConnection(profileOf(this))
      print(o.output, { profile: c.profile, url: c.url, key: maskKey(c.key), sources: c.sources }, (v) => ({
        profile: v.profile,
        url: v.url,
        'url from': v.sources.url,
        key: v.key,
        'key from': v.sources.key,
      }))
    })

  config
    .command('profiles')
    .alias('ls')
    .description('list the saved profiles; * marks the current one')
    .addOption(outputOption())
    .action((o: { output: OutputFormat }) => {
      const file = readProfiles(profileFilePath())
      const rows = Object.entries(file.profiles).map(([name, p]) => ({
        name,
        current: name === file.current,
        url: p.url ?? '',
        key: maskKey(p.key),
      }))
      print(o.output, rows, (r) => ({ current: r.current ? '*' : '', name: r.name, url: r.url, key: r.key }))
    })

  config
    .command('use <profile>')
    .description('make a saved profile the current one')
    .action((name: string) => {
      const path = profileFilePath()
      const file = readProfiles(path)
      if (!file.profiles[name]) throw new Error(`no profile named ${name}`)
      writeProfiles(path, { ...file, current: name })
      process.stdout.write(`current profile: ${name}\n`)
    })

  config
    .command('rm <profile>')
    .description('delete a saved profile')
    .action((name: string) => {
      const path = profileFilePath()
      const file = readProfiles(path)
      if (!file.profiles[name]) throw new Error(`no profile named ${name}`)
      const { [name]: _removed, ...rest } = file.profiles
      writeProfiles(path, { current: file.current === name ? 'default' : file.current, profiles: rest })
      process.stdout.write(`profile ${name} deleted\n`)
    })

  return config
}
