import { useComputedColorScheme } from '@mantine/core'
import { BarChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { useEffect, useRef } from 'react'

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

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
  const ref = useRef<HTMLDivElement>(null)
  const scheme = useComputedColorScheme('light')
  useEffect(() => {
    if (!ref.current) return
    const chart = echarts.init(ref.current, scheme === 'dark' ? 'dark' : undefined)
    chart.setOption({
      backgroundColor: 'transparent',
      tooltip: { trigger: 'axis', valueFormatter: (v: number) => `$${Number(v).toFixed(4)}` },
      legend: { type: 'scroll', top: 0 },
      grid: { left: 56, right: 16, bottom: 40, top: 40 },
      xAxis: { type: 'category', data: days },
      yAxis: { type: 'value', name: 'USD' },
      series: series.map((s) => ({ name: s.name, type: 'bar', stack: 'spend', data: s.values })),
    })
    const resize = () => chart.resize()
    window.addEventListener('resize', resize)
    return () => {
      window.removeEventListener('resize', resize)
      chart.dispose()
    }
  }, [days, series, scheme])
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
