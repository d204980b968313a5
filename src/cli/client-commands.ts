import { readFileSync } from 'node:fs'
import { createInterface } from 'node:readline/promises'
import { Command } from 'commander'
import type { PodplaneClient } from '../client/index.js'
import { clientFor, describeFailure } from './api.js'
import { OUTPUT_FORMATS, outputOption } from './output.js'

/** Pieces the client commands share: output formats, request bodies, confirmations, `rm`. */

/** `-o table|wide|json|yaml|name`. */
export const formats = () => outputOption(OUTPUT_FORMATS)

/**
 * A request body: the JSON of `-f` (`-` reads stdin), then every flag that was given on top of it.
 * @example bodyOf<V1.TemplateCreateInput>(o.file, { name: o.name, imageName: o.image })
 */
export function bodyOf<T>(file: string | undefined, flags: Record<string, unknown>): T {
  let fromFile: Record<string, unknown> = {}
  if (file) {
    const text = readFileSync(file === '-' ? 0 : file, 'utf8')
    try {
      fromFile = JSON.parse(text) as Record<string, unknown>
    } catch (error) {
      throw new Error(`${file === '-' ? 'stdin' : file} is not valid JSON: ${(error as Error).message}`)
    }
  }
  const given = Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined))
  return { ...fromFile, ...given } as T
}

/** A yes from the person at the terminal; without one (a script, a pipe) it refuses. */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new Error('refusing to act without a terminal to confirm; add --yes')
  const rl = createInterface({ input: process.stdin, output: process.stderr })
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim())
  } finally {
    rl.close()
  }
}

/**
 * `<noun> rm <ids...>`: asks once (unless `--yes`), then deletes each id; a failure is reported
 * for its id and the others still go, with exit 1 at the end.
 */
export function removeCommand(
  group: string,
  noun: string,
  remove: (client: PodplaneClient, id: string) => Promise<void>,
): Command {
  return new Command('rm')
    .alias('delete')
    .description(`delete ${noun}s (asks first unless --yes)`)
    .argument('<ids...>', `${noun} ids`)
    .option('-y, --yes', 'do not ask before deleting')
    .addHelpText(
      'after',
      `\nExamples:\n  $ podplane ${group} rm <id>\n  $ podplane ${group} rm <id> <id> --yes`,
    )
    .action(async function (this: Command, ids: string[], o: { yes?: boolean }) {
      const client = clientFor(this)
      if (!o.yes && !(await confirm(`delete ${ids.length} ${noun}(s): ${ids.join(', ')}?`))) {
        process.stderr.write('nothing done\n')
        return
      }
      await forEachId(ids, (id) => remove(client, id), 'deleted')
    })
}

/**
 * Runs `act` for each id in turn, printing `<id> <done>`; a failure is reported for its id and
 * the rest still run, with exit code 1 at the end.
 */
export async function forEachId(
  ids: readonly string[],
  act: (id: string) => Promise<unknown>,
  done: string,
): Promise<void> {
  let failed = 0
  for (const id of ids) {
    try {
      await act(id)
      process.stdout.write(`${id} ${done}\n`)
    } catch (error) {
      failed += 1
      process.stderr.write(`podplane: ${id}: ${describeFailure(error)}\n`)
    }
  }
  if (failed > 0) process.exitCode = 1
}
