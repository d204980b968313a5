import { setFlagsFromString } from 'node:v8'

/**
 * How far past what survived its last full collection V8 lets the heap grow before the next one:
 * at most 150% here. Left to itself, V8 allows up to 4× when collecting is cheap next to the work
 * done, as it is for a busy server. podplane keeps ~50–70 MB live on a 100k-pod store, but writes
 * replace cached machines, pods and rendered answers, and what they replace dies in the old
 * generation: through `npm run bench`'s stop/start cycle the server's RSS climbed to ~270–300 MB
 * while ~55 MB was live. At 50% it stayed at 186 MB (PostgreSQL) and 225 MB (SQLite), but a burst
 * of creates then ran three times as many full collections as at 150% (one, ~40 ms of the main
 * thread, fell inside the bench's half-second run of creates): at 150% a create took 13% less CPU
 * on SQLite (ten alternating pairs, eight won; PostgreSQL ~3%, four pairs), and the bench's
 * highest RSS was 219 MB (SQLite) and 198 MB (PostgreSQL), against its 300 MB target.
 */
export const HEAP_GROWING_PERCENT = 150

/**
 * Caps the heap's growth for this process (the server's), unless the operator chose a growth of
 * their own (`node --heap-growing-percent=N dist/podplane.mjs serve`; NODE_OPTIONS cannot carry
 * V8 flags). V8 reads the flag each time it sets the next collection's limit, so setting it at
 * start-up takes effect. Returns whether it set it.
 */
export function limitHeapGrowth(execArgv: readonly string[] = process.execArgv): boolean {
  if (execArgv.some((arg) => /^--heap[-_]growing[-_]percent\b/.test(arg))) return false
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`)
  return true
}
