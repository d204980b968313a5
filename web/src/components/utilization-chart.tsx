import { useComputedColorScheme } from '@mantine/core'
import { BarChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { useEffect, useRef } from 'react'

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

/** GPUs used and free per group (data center or GPU type), stacked. */
export function UtilizationChart({
  label,
  rows,
}: {
  label: string
  rows: readonly { name: string; used: number; free: number }[]
}) {
  const ref = useRef<HTMLDivElement>(null)
  const scheme = useComputedColorScheme('light')
  useEffect(() => {
    if (!ref.current) return
    const chart = echarts.init(ref.current, scheme === 'dark' ? 'dark' : undefined)
    chart.setOption({
      backgroundColor: 'transparent',
      tooltip: { trigger: 'axis' },
      legend: { data: ['used', 'free'], top: 0, right: 0 },
      grid: { left: 40, right: 16, bottom: 80, top: 40 },
      xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { rotate: 45 } },
      yAxis: { type: 'value', name: 'GPUs' },
      series: [
        { name: 'used', type: 'bar', stack: 'gpus', data: rows.map((r) => r.used), color: '#364fc7' },
        { name: 'free', type: 'bar', stack: 'gpus', data: rows.map((r) => r.free), color: '#96f2d7' },
      ],
    })
    const resize = () => chart.resize()
    window.addEventListener('resize', resize)
    return () => {
      window.removeEventListener('resize', resize)
      chart.dispose()
    }
  }, [rows, scheme])
  const summary = rows.map((r) => `${r.name}: ${r.used} of ${r.used + r.free} GPUs used`).join('; ')
  return <div ref={ref} style={{ height: 320 }} role="img" aria-label={`${label}. ${summary}`} />
}
