#!/usr/bin/env node
// The console's initial JavaScript (the entry script and every chunk it preloads) must stay
// within 250 KB gzipped. Run after `npm run build`; exits 1 when over budget.
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'

const BUDGET_BYTES = 250 * 1024
const dir = fileURLToPath(new URL('../dist/console/', import.meta.url))
const html = readFileSync(join(dir, 'index.html'), 'utf8')
const scripts = [
  ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
  ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
].map((match) => match[1])
if (scripts.length === 0) {
  console.error('check-bundle: no module script in dist/console/index.html')
  process.exit(1)
}
let total = 0
for (const src of new Set(scripts)) {
  const size = gzipSync(readFileSync(join(dir, src.replace(/^\//, '')))).length
  total += size
  console.log(`  ${src}  ${(size / 1024).toFixed(1)} KB gzipped`)
}
const verdict = total <= BUDGET_BYTES ? 'ok' : 'over budget'
console.log(
  `check-bundle: initial JS ${(total / 1024).toFixed(1)} KB gzipped of ${BUDGET_BYTES / 1024} KB: ${verdict}`,
)
if (total > BUDGET_BYTES) process.exit(1)
