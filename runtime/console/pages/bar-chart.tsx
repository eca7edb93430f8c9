/** One bar of a chart: its label and its stacked parts (drawn bottom up, in `series` order). */
export interface Bar {
  label: string
  parts: Record<string, number>
}

const WIDTH = 640
const HEIGHT = 160
const AXIS = 20

/**
 * A small stacked bar chart drawn as SVG on the server (no script, no inline style: colours come from
 * `chart-<series>` classes in console.css, one distinct colour per series). `limit` draws a dashed
 * line at that value (a budget). Every bar is labelled up to 16 bars, else every nth and the newest.
 * The figure's accessible name says what it shows; a table beside it carries the numbers.
 */
export function BarChart(props: { title: string; bars: Bar[]; series: readonly string[]; limit?: number }) {
  const { bars, series } = props
  const totals = bars.map((b) => series.reduce((sum, s) => sum + (b.parts[s] ?? 0), 0))
  const top = Math.max(1, props.limit ?? 0, ...totals)
  const slot = bars.length === 0 ? WIDTH : WIDTH / bars.length
  const barWidth = Math.max(1, slot * 0.8)
  const y = (v: number) => (HEIGHT - AXIS) * (1 - v / top)
  // Up to 16 bars each get a label; beyond that every nth, counted from the newest so it is labelled.
  const every = Math.max(1, Math.ceil(bars.length / 16))
  return (
    <svg
      class="chart"
      viewBox={`0 0 ${WIDTH} ${HEIGHT}`}
      width="100%"
      role="img"
      aria-label={props.title}
      preserveAspectRatio="none"
    >
      <title>{props.title}</title>
      {bars.map((bar, i) => {
        let base = 0
        return (
          <g>
            {series.map((s) => {
              const v = bar.parts[s] ?? 0
              if (v === 0) return null
              const rect = (
                <rect
                  class={`chart-${s}`}
                  x={(i * slot + (slot - barWidth) / 2).toFixed(1)}
                  y={y(base + v).toFixed(1)}
                  width={barWidth.toFixed(1)}
                  height={(y(base) - y(base + v)).toFixed(1)}
                />
              )
              base += v
              return rect
            })}
            {(bars.length - 1 - i) % every === 0 ? (
              <text
                class="chart-label"
                x={(i * slot + slot / 2).toFixed(1)}
                y={HEIGHT - 6}
                text-anchor="middle"
              >
                {bar.label}
              </text>
            ) : null}
          </g>
        )
      })}
      {props.limit === undefined ? null : (
        <line
          class="chart-limit"
          x1="0"
          x2={WIDTH}
          y1={y(props.limit).toFixed(1)}
          y2={y(props.limit).toFixed(1)}
        />
      )}
    </svg>
  )
}
