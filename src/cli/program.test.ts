import type { Command } from 'commander'
import { describe, expect, it } from 'vitest'
import { buildProgram } from './program.js'

function everyCommand(command: Command, path = command.name()): [string, Command][] {
  return [
    [path, command],
    ...command.commands
      .filter((c) => c.name() !== 'help')
      .flatMap((c) => everyCommand(c, `${path} ${c.name()}`)),
  ]
}

/** The help a person sees for `command --help`, text added after it included. */
function helpOf(command: Command): string {
  let text = ''
  command.configureOutput({ writeOut: (s) => (text += s), writeErr: (s) => (text += s) })
  command.outputHelp()
  return text
}

describe('podplane --help', () => {
  it('shows examples on every command', () => {
    const without = everyCommand(buildProgram())
      .filter(([, command]) => !/\nExamples?:\n {2}\S/.test(helpOf(command)))
      .map(([path]) => path)
    expect(without).toEqual([])
  })

  it('describes every command and every option', () => {
    const vague = everyCommand(buildProgram()).flatMap(([path, command]) => [
      ...(command.description() ? [] : [path]),
      ...command.options.filter((o) => !o.description).map((o) => `${path} ${o.flags}`),
    ])
    expect(vague).toEqual([])
  })
})
