import { Argument, type Command, Command as CommanderCommand } from 'commander'

export const SHELLS = ['bash', 'zsh', 'fish'] as const
type Shell = (typeof SHELLS)[number]

/** Every command path of the program with the words that may follow it: subcommands or argument choices, then options. */
export function completionTable(program: Command): Map<string, string[]> {
  const table = new Map<string, string[]>()
  const walk = (command: Command, path: string) => {
    const subcommands = command.commands.filter((c) => c.name() !== 'help')
    const options = command.options.flatMap((o) => (o.long ? [o.long] : []))
    const choices = command.registeredArguments[0]?.argChoices ?? []
    table.set(path, [
      ...subcommands.flatMap((c) => [c.name(), ...c.aliases()]),
      ...choices,
      ...options,
      '--help',
    ])
    for (const sub of subcommands) {
      walk(sub, `${path} ${sub.name()}`)
      for (const alias of sub.aliases()) walk(sub, `${path} ${alias}`)
    }
  }
  walk(program, program.name())
  return table
}

const quote = (s: string) => `'${s.replaceAll("'", "'\\''")}'`

function bash(name: string, table: Map<string, string[]>): string {
  const paths = [...table.keys()].filter((p) => p !== name)
  return `# bash completion for ${name}; load with: source <(${name} completion bash)
_${name}_complete() {
  local cur="\${COMP_WORDS[COMP_CWORD]}" cmdpath="${name}" i w words=""
  for ((i = 1; i < COMP_CWORD; i++)); do
    w="\${COMP_WORDS[i]}"
    [[ "$w" == -* ]] && continue
    case "$cmdpath $w" in
      ${paths.map(quote).join('|')}) cmdpath="$cmdpath $w" ;;
    esac
  done
  case "$cmdpath" in
${[...table].map(([path, words]) => `    ${quote(path)}) words=${quote(words.join(' '))} ;;`).join('\n')}
  esac
  COMPREPLY=($(compgen -W "$words" -- "$cur"))
}
complete -o default -F _${name}_complete ${name}
`
}

function zsh(name: string, table: Map<string, string[]>): string {
  const paths = [...table.keys()].filter((p) => p !== name)
  return `#compdef ${name}
# zsh completion for ${name}; load with: source <(${name} completion zsh)
_${name}_complete() {
  local cmdpath="${name}" w
  local -a candidates
  for w in \${words[2,CURRENT-1]}; do
    [[ "$w" == -* ]] && continue
    case "$cmdpath $w" in
      (${paths.map(quote).join('|')}) cmdpath="$cmdpath $w" ;;
    esac
  done
  case "$cmdpath" in
${[...table].map(([path, words]) => `    (${quote(path)}) candidates=(${words.map(quote).join(' ')}) ;;`).join('\n')}
  esac
  compadd -- $candidates
}
compdef _${name}_complete ${name}
`
}

function fish(name: string, table: Map<string, string[]>): string {
  const paths = [...table.keys()].filter((p) => p !== name)
  const lines = [...table].flatMap(([path, words]) => {
    const when = `test (__${name}_path) = ${quote(path)}`
    const subcommands = words.filter((w) => !w.startsWith('-'))
    const options = words.filter((w) => w.startsWith('--')).map((w) => w.slice(2))
    return [
      ...(subcommands.length > 0
        ? [`complete -c ${name} -f -n ${quote(when)} -a ${quote(subcommands.join(' '))}`]
        : []),
      ...options.map((o) => `complete -c ${name} -n ${quote(when)} -l ${o}`),
    ]
  })
  return `# fish completion for ${name}; load with: ${name} completion fish | source
set -g __${name}_paths ${paths.map(quote).join(' ')}
function __${name}_path
  set -l p ${name}
  for w in (commandline -opc)[2..-1]
    string match -q -- '-*' $w; and continue
    contains -- "$p $w" $__${name}_paths; and set p "$p $w"
  end
  echo $p
end
${lines.join('\n')}
`
}

const SCRIPTS: Record<Shell, (name: string, table: Map<string, string[]>) => string> = { bash, zsh, fish }

/** `podplane completion bash|zsh|fish`: a script generated from the command tree, so it never drifts. */
export function completionCommand(program: () => Command): Command {
  return new CommanderCommand('completion')
    .description('print a shell completion script')
    .addArgument(new Argument('<shell>').choices(SHELLS))
    .addHelpText(
      'after',
      `
Examples:
  $ source <(podplane completion bash)          # add to ~/.bashrc
  $ podplane completion zsh > "\${fpath[1]}/_podplane"
  $ podplane completion fish > ~/.config/fish/completions/podplane.fish`,
    )
    .action((shell: Shell) => {
      const root = program()
      process.stdout.write(SCRIPTS[shell](root.name(), completionTable(root)))
    })
}
