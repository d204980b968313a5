/** Where the agent says what it does; the command writes to stderr, tests stay quiet. */
export interface Logger {
  info(message: string): void
  warn(message: string): void
  error(message: string): void
}

/** Lines like `2026-11-30T10:00:00.000Z warn image pull failed: …` on stderr. */
export const stderrLogger: Logger = {
  info: (message) => write('info', message),
  warn: (message) => write('warn', message),
  error: (message) => write('error', message),
}

function write(level: string, message: string): void {
  process.stderr.write(`${new Date().toISOString()} ${level} ${message}\n`)
}

export const silentLogger: Logger = { info: () => {}, warn: () => {}, error: () => {} }
