import { Option } from 'commander'
import { formatTable } from './table.js'

export type OutputFormat = 'table' | 'json'

/** `-o table|json` on every listing command. */
export const outputOption = () =>
  new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table')

/** Writes rows as a human table, or as JSON for scripts (the full objects, not the table columns). */
export function print<T>(
  format: OutputFormat,
  data: T | T[],
  columns: (item: T) => Record<string, string | number>,
) {
  if (format === 'json') {
    process.stdout.write(`${JSON.stringify(data, null, 2)}\n`)
    return
  }
  const rows = (Array.isArray(data) ? data : [data]).map(columns)
  process.stdout.write(rows.length === 0 ? 'nothing to show\n' : formatTable(rows))
}
