import { Option } from 'commander'
import { stringify } from 'yaml'
import { formatTable, type Row } from './table.js'

export const OUTPUT_FORMATS = ['table', 'wide', 'json', 'yaml', 'name'] as const
export type OutputFormat = (typeof OUTPUT_FORMATS)[number]

/** `-o <format>` on every listing command; server-side commands offer table and json. */
export const outputOption = (formats: readonly OutputFormat[] = ['table', 'json']) =>
  new Option('-o, --output <format>', 'output format').choices(formats).default('table')

/** How one kind of thing is shown: table columns, the extra `wide` ones, and its `name`. */
export interface View<T> {
  readonly columns: (item: T) => Row
  readonly wide?: (item: T) => Row
  readonly name?: (item: T) => string
}

/** Colour only for a person at a terminal, and never when NO_COLOR is set (no-color.org). */
export function useColor(stream: NodeJS.WriteStream = process.stdout): boolean {
  return stream.isTTY === true && !process.env.NO_COLOR && process.env.TERM !== 'dumb'
}

const STATUS_COLORS: Record<string, number> = {
  RUNNING: 32,
  STARTING: 33,
  PROVISIONING: 33,
  EXITED: 90,
  TERMINATED: 90,
  ERROR: 31,
  READY: 32,
}

const paintStatus = (column: string, value: string, padded: string) => {
  const color = column === 'status' ? STATUS_COLORS[value] : undefined
  return color === undefined ? padded : `\u001b[${color}m${padded}\u001b[0m`
}

/** A table for this terminal: cut to its width and coloured when a person is looking. */
export function terminalTable(rows: readonly Row[]): string {
  const tty = process.stdout.isTTY === true
  return formatTable(rows, {
    maxWidth: tty ? process.stdout.columns : undefined,
    paint: useColor() ? paintStatus : undefined,
  })
}

/**
 * Writes items as a human table (`wide` adds columns), one name per line, or the full objects as
 * JSON or YAML for scripts (stable: the API's own shapes, not the table columns).
 */
export function print<T>(format: OutputFormat, data: T | T[], view: View<T> | ((item: T) => Row)) {
  const v: View<T> = typeof view === 'function' ? { columns: view } : view
  const items = Array.isArray(data) ? data : [data]
  switch (format) {
    case 'json':
      process.stdout.write(`${JSON.stringify(data, null, 2)}\n`)
      return
    case 'yaml':
      process.stdout.write(stringify(data))
      return
    case 'name':
      for (const item of items)
        process.stdout.write(`${v.name ? v.name(item) : String((item as { id?: unknown }).id)}\n`)
      return
    default: {
      const rows = items.map((item) =>
        format === 'wide' && v.wide ? { ...v.columns(item), ...v.wide(item) } : v.columns(item),
      )
      process.stdout.write(rows.length === 0 ? 'nothing to show\n' : terminalTable(rows))
    }
  }
}
