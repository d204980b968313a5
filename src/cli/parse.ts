import { InvalidArgumentError } from 'commander'

/** Option parsers shared by the client commands; each throws commander's usage error (exit 2). */

export function positiveInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('must be a positive integer')
  return n
}

export function nonNegativeInt(value: string): number {
  const n = Number(value)
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('must be a non-negative integer')
  return n
}

export function nonNegativeNumber(value: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n < 0) throw new InvalidArgumentError('must be a non-negative number')
  return n
}

/** `--gpu a,b --gpu c` → ['a', 'b', 'c']: repeatable and comma-separated, like the API's lists. */
export function list(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ]
}

/** `--env KEY=VALUE`, repeatable. */
export function keyValue(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const at = value.indexOf('=')
  if (at < 1) throw new InvalidArgumentError(`expected KEY=VALUE, got ${value}`)
  return { ...previous, [value.slice(0, at)]: value.slice(at + 1) }
}

/** A duration like `90s`, `5m`, `1h`, `7d` or plain seconds, in milliseconds. */
export function duration(value: string): number {
  const match = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)?$/.exec(value)
  if (!match) throw new InvalidArgumentError('expected a duration like 30s, 5m, 1h or 7d')
  const unit = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[match[2] ?? 's'] ?? 1000
  return Number(match[1]) * unit
}
