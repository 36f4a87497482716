/** One Chart.js chart on a canvas; the values shown are mirrored in `data-values` for tests and screen readers. */
import { useEffect, useRef } from 'preact/hooks'
import {
  ArcElement,
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  DoughnutController,
  Filler,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
} from 'chart.js'

Chart.register(ArcElement, BarController, BarElement, CategoryScale, DoughnutController, Filler, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip)
Chart.defaults.font.family = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", system-ui, sans-serif'

export function ChartBox({ config, testId, title, height = 240 }: { config: ChartConfiguration; testId: string; title: string; height?: number }) {
  const canvas = useRef<HTMLCanvasElement>(null)
  useEffect(() => {
    if (!canvas.current) return
    const chart = new Chart(canvas.current, {
      ...config,
      options: { responsive: true, maintainAspectRatio: false, animation: false, ...config.options },
    })
    return () => chart.destroy()
  }, [JSON.stringify(config.data), title])
  const values = config.data.datasets.map((d) => ({ label: d.label ?? '', data: d.data }))
  return (
    <figure class="chart" data-testid={testId} data-labels={JSON.stringify(config.data.labels ?? [])} data-values={JSON.stringify(values)}>
      <figcaption>{title}</figcaption>
      <div style={{ height: `${height}px`, position: 'relative' }}>
        <canvas ref={canvas} aria-label={title} role="img" />
      </div>
    </figure>
  )
}
