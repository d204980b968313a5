import { useComputedColorScheme } from '@mantine/core'
import { BarChart } from 'echarts/charts'
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components'
import * as echarts from 'echarts/core'
import { CanvasRenderer } from 'echarts/renderers'
import { type RefObject, useEffect, useRef } from 'react'

echarts.use([BarChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer])

export type BarChartOption = echarts.EChartsCoreOption

/**
 * An ECharts bar chart drawn into the returned element: in the console's light or dark scheme,
 * resized with the window, drawn again when `option` changes (memoise it), disposed on unmount.
 */
export function useBarChart(option: BarChartOption): RefObject<HTMLDivElement | null> {
  const ref = useRef<HTMLDivElement>(null)
  const scheme = useComputedColorScheme('light')
  useEffect(() => {
    if (!ref.current) return
    const chart = echarts.init(ref.current, scheme === 'dark' ? 'dark' : undefined)
    chart.setOption({ backgroundColor: 'transparent', ...option })
    const resize = () => chart.resize()
    window.addEventListener('resize', resize)
    return () => {
      window.removeEventListener('resize', resize)
      chart.dispose()
    }
  }, [option, scheme])
  return ref
}
