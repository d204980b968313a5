export type Row = Readonly<Record<string, string | number>>

export interface TableOptions {
  /** The terminal's width; wide columns are cut with `…` until the table fits. */
  readonly maxWidth?: number
  /** Wraps a padded cell in colour codes (given the column and the raw value). */
  readonly paint?: (column: string, value: string, padded: string) => string
}

const GAP = 2
/** A column is never cut narrower than this. */
const MIN_WIDTH = 8

function cut(cell: string, width: number): string {
  return cell.length <= width ? cell : `${cell.slice(0, width - 1)}…`
}

/** Prints rows as an aligned plain-text table with upper-case headers, like kubectl. */
export function formatTable(rows: readonly Row[], options: TableOptions = {}): string {
  if (rows.length === 0) return ''
  const columns = Object.keys(rows[0]!)
  const cells = [
    columns.map((c) => c.toUpperCase()),
    ...rows.map((r) => columns.map((c) => String(r[c] ?? ''))),
  ]
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)))
  if (options.maxWidth !== undefined) shrinkToFit(widths, options.maxWidth)
  const { paint } = options
  return `${cells
    .map((row, r) =>
      row
        .map((cell, i) => {
          const padded = cut(cell, widths[i]!).padEnd(widths[i]!)
          return paint && r > 0 ? paint(columns[i]!, cell, padded) : padded
        })
        .join(' '.repeat(GAP))
        .trimEnd(),
    )
    .join('\n')}\n`
}

/** Narrows the widest column, one character at a time, until the row fits or nothing can give. */
function shrinkToFit(widths: number[], maxWidth: number): void {
  const total = () => widths.reduce((sum, w) => sum + w, 0) + GAP * (widths.length - 1)
  while (total() > maxWidth) {
    const widest = widths.indexOf(Math.max(...widths))
    if (widths[widest]! <= MIN_WIDTH) return
    widths[widest]! -= 1
  }
}
