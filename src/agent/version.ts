import { readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * podplane's version from its package.json, found by walking up from this module: it sits at
 * different depths in the sources, the compiled tree and the bundle.
 */
export function agentVersion(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (;;) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: string
        version?: string
      }
      if (pkg.name === 'podplane' && pkg.version) return pkg.version
    } catch {}
    const parent = dirname(dir)
    if (parent === dir) return 'unknown'
    dir = parent
  }
}
