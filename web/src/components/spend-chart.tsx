import { useMemo } from 'react'
import { useBarChart } from './bar-chart.js'

export interface SpendSeries {
  readonly name: string
  readonly values: readonly number[]
}

/** Spend per day, one stacked series per group (GPU type or pod). */
export function SpendChart({
  label,
  days,
  series,
}: {
  label: string
  days: readonly string[]
  series: readonly SpendSeries[]
}) {
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `$${Number(v).toFixed(4)}` },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 56, right: 16, bottom: 40, top: 40 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', name: 'USD' },
      series: series.map((s) => ({ name: s.name, type: 'bar', stack: 'spend', data: s.values })),
    }),
    [days, series],
  )
  const ref = useBarChart(option)
  const total = series.reduce((sum, s) => sum + s.values.reduce((a, b) => a + b, 0), 0)
  return (
    <div
      ref={ref}
      style={{ height: 300 }}
      role="img"
      aria-label={`${label}: $${total.toFixed(2)} over ${days.length} days`}
    />
  )
}
