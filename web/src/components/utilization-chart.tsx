import { useMemo } from 'react'
import { useBarChart } from './bar-chart.js'

/** GPUs used and free per group (data center or GPU type), stacked. */
export function UtilizationChart({
  label,
  rows,
}: {
  label: string
  rows: readonly { name: string; used: number; free: number }[]
}) {
  const option = useMemo(
    () => ({
      tooltip: { trigger: 'axis' },
      legend: { data: ['used', 'free'], top: 0, right: 0 },
      grid: { left: 40, right: 16, bottom: 80, top: 40 },
      xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { rotate: 45 } },
      yAxis: { type: 'value', name: 'GPUs' },
      series: [
        { name: 'used', type: 'bar', stack: 'gpus', data: rows.map((r) => r.used), color: '#364fc7' },
        { name: 'free', type: 'bar', stack: 'gpus', data: rows.map((r) => r.free), color: '#96f2d7' },
      ],
    }),
    [rows],
  )
  const ref = useBarChart(option)
  const summary = rows.map((r) => `${r.name}: ${r.used} of ${r.used + r.free} GPUs used`).join('; ')
  return <div ref={ref} style={{ height: 320 }} role="img" aria-label={`${label}. ${summary}`} />
}
