import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { runCli } from '../helpers/cli.js'

describe('podplane config', () => {
  const dir = mkdtempSync(join(tmpdir(), 'podplane-config-'))
  const file = join(dir, 'conf', 'config.json')
  // No inherited connection settings: the test decides every one.
  const env = {
    PODPLANE_CONFIG: file,
    PODPLANE_API_URL: '',
    PODPLANE_API_KEY: '',
    RUNPOD_API_KEY: '',
    PODPLANE_PROFILE: '',
  }
  const cli = (args: string[], extra: Record<string, string> = {}) => runCli(args, { ...env, ...extra })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('saves URL and key in the current profile, in a file only its owner can read', () => {
    expect(cli(['config', 'get', 'url']).stdout).toBe('http://127.0.0.1:8080\n')
    expect(cli(['config', 'set', 'url', 'http://gpu.internal:8080/'])).toMatchObject({
      code: 0,
      stdout: 'profile default: url set\n',
    })
    expect(cli(['config', 'set', 'key', 'rpa_ABCDEFGHIJKLMNOPQRSTUVWXYZ234567']).code).toBe(0)
    expect(statSync(file).mode & 0o777).toBe(0o600)
    expect(statSync(join(dir, 'conf')).mode & 0o777).toBe(0o700)
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({
      current: 'default',
      profiles: { default: { url: 'http://gpu.internal:8080', key: 'rpa_ABCDEFGHIJKLMNOPQRSTUVWXYZ234567' } },
    })
    expect(cli(['config', 'get', 'url']).stdout).toBe('http://gpu.internal:8080\n')
    expect(cli(['config', 'get', 'key']).stdout).toBe('rpa_ABCDEFGHIJKLMNOPQRSTUVWXYZ234567\n')
  })

  it('keeps named profiles apart and switches between them', () => {
    expect(cli(['--profile', 'runpod', 'config', 'set', 'url', 'https://rest.runpod.io']).stdout).toBe(
      'profile runpod: url set\n',
    )
    expect(cli(['--profile', 'runpod', 'config', 'get', 'url']).stdout).toBe('https://rest.runpod.io\n')
    expect(cli(['config', 'get', 'url']).stdout).toBe('http://gpu.internal:8080\n')
    const listed = JSON.parse(cli(['config', 'profiles', '-o', 'json']).stdout)
    expect(listed.map((p: any) => [p.name, p.current])).toEqual([
      ['default', true],
      ['runpod', false],
    ])
    expect(listed[0].key).not.toContain('KLMNOP')
    expect(cli(['config', 'use', 'runpod']).stdout).toBe('current profile: runpod\n')
    expect(cli(['config', 'get', 'url']).stdout).toBe('https://rest.runpod.io\n')
    expect(cli(['config', 'ls']).stdout).toMatch(/^\*\s+runpod/m)
    expect(cli(['config', 'use', 'default']).code).toBe(0)
  })

  it('lets the environment override the profile, and says where each value comes from', () => {
    const view = (extra: Record<string, string>) =>
      JSON.parse(cli(['config', 'view', '-o', 'json'], extra).stdout)
    expect(view({})).toMatchObject({
      profile: 'default',
      url: 'http://gpu.internal:8080',
      key: 'rpa_ABCD…4567',
      sources: { url: 'profile default', key: 'profile default' },
    })
    expect(
      view({ PODPLANE_API_URL: 'http://ci:9000', RUNPOD_API_KEY: 'rpa_FROMRUNPODENVIRONMENT' }),
    ).toMatchObject({
      url: 'http://ci:9000',
      sources: { url: 'PODPLANE_API_URL', key: 'RUNPOD_API_KEY' },
    })
    expect(view({ PODPLANE_API_KEY: 'rpa_A', RUNPOD_API_KEY: 'rpa_B' }).sources.key).toBe('PODPLANE_API_KEY')
    expect(view({ PODPLANE_PROFILE: 'runpod' }).url).toBe('https://rest.runpod.io')
  })

  it('refuses what it cannot use: usage mistakes exit 2, bad values and unknown profiles exit 1', () => {
    expect(cli(['config', 'set', 'password', 'x']).code).toBe(2)
    expect(cli(['config', 'set', 'url']).code).toBe(2)
    expect(cli(['config', 'set', 'url', 'gpu.internal'])).toMatchObject({
      code: 1,
      stderr: 'podplane: url must start with http:// or https://, not gpu.internal\n',
    })
    expect(cli(['config', 'use', 'nowhere'])).toMatchObject({
      code: 1,
      stderr: 'podplane: no profile named nowhere\n',
    })
    expect(cli(['--profile', 'nowhere', 'config', 'get', 'url']).code).toBe(1)
    expect(cli(['--profile', 'runpod', 'config', 'get', 'key'])).toMatchObject({
      code: 1,
      stderr: 'podplane: no key set for profile runpod\n',
    })
  })

  it('deletes a profile, falling back to default when it was current', () => {
    expect(cli(['config', 'use', 'runpod']).code).toBe(0)
    expect(cli(['config', 'rm', 'runpod']).stdout).toBe('profile runpod deleted\n')
    expect(JSON.parse(readFileSync(file, 'utf8')).current).toBe('default')
    expect(cli(['config', 'get', 'url']).stdout).toBe('http://gpu.internal:8080\n')
  })

  it('groups client and server-side commands in the help', () => {
    const help = cli(['--help']).stdout
    expect(help).toMatch(/^Client commands.*:\n {2}config /m)
    expect(help).toMatch(/^Server-side commands.*:\n {2}serve /m)
    expect(cli(['config', '--help']).stdout).toContain('Examples:')
  })
})
