import type { FastifyBaseLogger } from 'fastify'

/**
 * Runs `work` every `intervalMs`, never two at once, logging failures instead of crashing.
 * The simulator uses it to keep endpoint workers at their minimum. Returns a stop function that
 * waits for a run in progress.
 */
export function every(
  intervalMs: number,
  work: () => Promise<void>,
  log: FastifyBaseLogger,
): () => Promise<void> {
  let running: Promise<void> | undefined
  const timer = setInterval(() => {
    if (running) return
    running = work()
      .catch((error) => log.error({ err: error }, 'background work failed'))
      .finally(() => {
        running = undefined
      })
  }, intervalMs)
  timer.unref()
  return async () => {
    clearInterval(timer)
    await running
  }
}
