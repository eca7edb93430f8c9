/** One sample of a metric family: label values and the number. */
export interface Sample {
  labels?: Record<string, string>
  value: number
  /** Suffix for histogram parts (`_bucket`, `_sum`, `_count`). */
  suffix?: string
}

/** A metric family in the Prometheus text exposition format 0.0.4. */
export interface MetricFamily {
  name: string
  help: string
  type: 'counter' | 'gauge' | 'histogram'
  samples: Sample[]
}

const escapeLabel = (v: string) => v.replaceAll('\\', '\\\\').replaceAll('\n', '\\n').replaceAll('"', '\\"')

/** Renders metric families as Prometheus text (HELP, TYPE, then one line per sample). */
export function prometheusText(families: readonly MetricFamily[]): string {
  const lines: string[] = []
  for (const f of families) {
    lines.push(`# HELP ${f.name} ${f.help.replaceAll('\\', '\\\\').replaceAll('\n', '\\n')}`)
    lines.push(`# TYPE ${f.name} ${f.type}`)
    for (const s of f.samples) {
      const labels = Object.entries(s.labels ?? {})
      const rendered =
        labels.length === 0 ? '' : `{${labels.map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`
      lines.push(`${f.name}${s.suffix ?? ''}${rendered} ${Number.isFinite(s.value) ? s.value : 'NaN'}`)
    }
  }
  return `${lines.join('\n')}\n`
}
