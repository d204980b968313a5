import { execFileSync } from 'node:child_process'
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'

const SCRIPT = fileURLToPath(new URL('../../scripts/build-if-needed.mjs', import.meta.url))

/**
 * `npm start`'s prestart, run in a project of its own shape whose `build` script only writes the
 * outputs and counts its runs: it builds when a source changed, and only then.
 */
describe('npm start builds only what changed since the last build', () => {
  let root: string
  const write = (path: string, text = '') => {
    mkdirSync(dirname(join(root, path)), { recursive: true })
    writeFileSync(join(root, path), text)
  }
  const builds = () => readFileSync(join(root, 'builds.log'), 'utf8').split('\n').filter(Boolean).length
  const prestart = () => {
    execFileSync(process.execPath, [join(root, 'scripts', 'build-if-needed.mjs')], {
      cwd: root,
      stdio: 'pipe',
    })
    return builds()
  }
  /** Sets a path's modification time (and, for a folder, everything's in it) to `at`. */
  const setTime = (path: string, at: Date) => {
    utimesSync(join(root, path), at, at)
    if (statSync(join(root, path)).isDirectory())
      for (const entry of readdirSync(join(root, path))) setTime(join(path, entry), at)
  }
  /** A change to a path, as an editor or `git pull` makes it. */
  const touch = (path: string) => setTime(path, new Date())

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'podplane-prestart-'))
    const outputs = ['dist/podplane.mjs', 'dist/cli/main.js', 'dist/console/index.html']
    write(
      'package.json',
      JSON.stringify({
        name: 'prestart-fixture',
        private: true,
        scripts: { build: 'node build.mjs' },
      }),
    )
    write(
      'build.mjs',
      [
        "import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs'",
        "import { dirname } from 'node:path'",
        `for (const out of ${JSON.stringify(outputs)}) {`,
        '  mkdirSync(dirname(out), { recursive: true })',
        "  writeFileSync(out, 'built')",
        '}',
        "appendFileSync('builds.log', 'build\\n')",
      ].join('\n'),
    )
    write('builds.log')
    for (const input of ['src/cli/main.ts', 'src/store/store.ts', 'web/index.html', 'package-lock.json'])
      write(input)
    for (const input of ['tsconfig.json', 'tsconfig.build.json', 'scripts/bundle-server.mjs']) write(input)
    copyFileSync(SCRIPT, join(root, 'scripts', 'build-if-needed.mjs'))
    // Sources older than any build to come, as in a checkout made before them.
    const hourAgo = new Date(Date.now() - 3_600_000)
    for (const input of [
      'src',
      'web',
      'scripts',
      'package.json',
      'package-lock.json',
      'tsconfig.json',
      'tsconfig.build.json',
    ])
      setTime(input, hourAgo)
  })
  afterEach(() => rmSync(root, { recursive: true, force: true }))

  it('builds a checkout never built, then not again while nothing changed', () => {
    expect(prestart()).toBe(1)
    expect(prestart()).toBe(1)
    expect(prestart()).toBe(1)
  })

  it('builds again when a source, the console, the lockfile or a build config changed', () => {
    expect(prestart()).toBe(1)
    let expected = 1
    for (const changed of [
      'src/store/store.ts',
      'web/index.html',
      'package-lock.json',
      'tsconfig.build.json',
    ]) {
      touch(changed)
      expected += 1
      expect(prestart(), changed).toBe(expected)
      expect(prestart(), changed).toBe(expected)
    }
  })

  it('builds again when a source file was added or removed (its folder changed)', () => {
    expect(prestart()).toBe(1)
    write('src/store/new-module.ts')
    expect(prestart()).toBe(2)
    rmSync(join(root, 'src/store/new-module.ts'))
    expect(prestart()).toBe(3)
    expect(prestart()).toBe(3)
  })

  it('builds again when an output is missing', () => {
    expect(prestart()).toBe(1)
    rmSync(join(root, 'dist/cli/main.js'))
    expect(prestart()).toBe(2)
    rmSync(join(root, 'dist/console/index.html'))
    expect(prestart()).toBe(3)
  })
})
