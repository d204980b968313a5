import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'

describe('podplane completion', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podplane-completion-'))
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  /** What bash offers after typing `line` and pressing tab, using the generated script. */
  function bashCompletes(line: string): string[] {
    const script = join(dir, 'podplane.bash')
    writeFileSync(script, runCli(['completion', 'bash']).stdout)
    const words = line.split(' ')
    const probe = `source ${script}
COMP_WORDS=(${words.map((w) => `'${w}'`).join(' ')}); COMP_CWORD=${words.length - 1}
_podplane_complete; printf '%s\\n' "\${COMPREPLY[@]}"`
    const result = spawnSync('bash', ['-c', probe], { encoding: 'utf8' })
    expect(result.stderr).toBe('')
    return result.stdout.split('\n').filter(Boolean)
  }

  it('completes commands, nested subcommands, options and argument choices in bash', () => {
    expect(bashCompletes('podplane ')).toEqual(
      expect.arrayContaining(['config', 'completion', 'serve', 'fleet']),
    )
    expect(bashCompletes('podplane fl')).toEqual(['fleet'])
    expect(bashCompletes('podplane fleet machines ')).toEqual(
      expect.arrayContaining(['ls', 'drain', 'cordon']),
    )
    expect(bashCompletes('podplane fleet machines ls --')).toEqual(
      expect.arrayContaining(['--dc', '--gpu', '--state', '--output']),
    )
    expect(bashCompletes('podplane --profile x config set ')).toEqual(['url', 'key', '--help'])
    expect(bashCompletes('podplane completion ')).toEqual(['bash', 'zsh', 'fish', '--help'])
  })

  it('prints zsh and fish scripts over the same command tree', () => {
    const zsh = runCli(['completion', 'zsh'])
    expect(zsh.code).toBe(0)
    expect(zsh.stdout).toMatch(/^#compdef podplane\n/)
    expect(zsh.stdout).toContain("('podplane fleet machines') candidates=('ls' 'add'")
    expect(zsh.stdout).toContain('compdef _podplane_complete podplane')
    const fish = runCli(['completion', 'fish'])
    expect(fish.code).toBe(0)
    expect(fish.stdout).toContain(
      "complete -c podplane -f -n 'test (__podplane_path) = '\\''podplane config'\\''' -a 'set get view profiles ls use rm'",
    )
    expect(fish.stdout).toContain('-l gpu')
  })

  it('refuses a shell it does not know (exit 2)', () => {
    const res = runCli(['completion', 'powershell'])
    expect(res.code).toBe(2)
    expect(res.stderr).toMatch(/Allowed choices are bash, zsh, fish/)
  })
})
