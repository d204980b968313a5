/** Prints rows as an aligned plain-text table with upper-case headers, like kubectl. */
export function formatTable(rows: readonly Record<string, string | number>[]): string {
  if (rows.length === 0) return ''
  const columns = Object.keys(rows[0]!)
  const cells = [
    columns.map((c) => c.toUpperCase()),
    ...rows.map((r) => columns.map((c) => String(r[c] ?? ''))),
  ]
  const widths = columns.map((_, i) => Math.max(...cells.map((row) => row[i]!.length)))
  return `${cells
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i]!))
        .join('  ')
        .trimEnd(),
    )
    .join('\n')}\n`
}
