// `npm start`'s prestart: runs `npm run build` only when something it builds from changed since the
// last build. The build takes ~4 s even with nothing to do (TypeScript checks every file, esbuild
// and Vite write their bundles again); a restart on an up-to-date checkout skips it.
//
// Up to date means the last build's outputs are newer than every input file and folder (a folder's
// time moves when a file in it is added, removed or renamed, so deletions count too).
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

/** What the build reads: the server's and the console's sources and everything that configures them. */
const INPUTS = [
  'src',
  'web',
  'scripts/bundle-server.mjs',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'tsconfig.build.json',
]
/**
 * Outputs every build writes anew: the server bundle (esbuild) and the console's page (Vite). The
 * TypeScript step writes only the files whose source changed, so its times tell nothing; its entry
 * must only exist.
 */
const REWRITTEN = ['dist/podplane.mjs', 'dist/console/index.html']
const PRESENT = ['dist/cli/main.js']

/** Latest modification time under `path` (itself included), or Infinity when it cannot be read. */
function newest(path) {
  let stat
  try {
    stat = statSync(path)
  } catch {
    return Number.POSITIVE_INFINITY
  }
  let latest = stat.mtimeMs
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path)) latest = Math.max(latest, newest(join(path, entry)))
  }
  return latest
}

/** When the last whole build ended, as its outputs tell; -Infinity when one is missing. */
function lastBuild() {
  let oldest = Number.POSITIVE_INFINITY
  try {
    for (const output of REWRITTEN) oldest = Math.min(oldest, statSync(join(root, output)).mtimeMs)
    for (const output of PRESENT) statSync(join(root, output))
  } catch {
    return Number.NEGATIVE_INFINITY
  }
  return oldest
}

const inputs = Math.max(...INPUTS.map((input) => newest(join(root, input))))
if (inputs >= lastBuild()) {
  const npm = process.env.npm_execpath
  const build = npm
    ? spawnSync(process.execPath, [npm, 'run', '-s', 'build'], { cwd: root, stdio: 'inherit' })
    : spawnSync('npm', ['run', '-s', 'build'], {
        cwd: root,
        stdio: 'inherit',
        shell: process.platform === 'win32',
      })
  process.exit(build.status ?? 1)
}
