import type { BenchResult, BenchScenario } from './scenario.ts'

/** One row of the report: a scenario and what it measured, or why it crashed. */
export interface BenchRow {
  scenario: Pick<BenchScenario, 'id' | 'title' | 'target' | 'workload'>
  result?: BenchResult
  error?: string
}

function number(value: number | undefined, digits = 0): string {
  if (value === undefined) return '-'
  return value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })
}

function verdict(result: BenchResult): string {
  if (result.targetMet === undefined) return ''
  return result.targetMet ? 'met' : 'MISSED'
}

/** Renders the results as an aligned text table: scenario, figure, target, baseline, ratio, verdict. */
export function formatBenchTable(rows: readonly BenchRow[]): string {
  const header = ['scenario', 'figure', 'target', 'baseline (same run)', 'ratio', '']
  const body = rows.map(({ scenario, result, error }) => {
    if (!result) return [scenario.id, `crashed: ${error ?? 'unknown error'}`, scenario.target, '', '', '']
    const baseline = result.baseline === undefined ? '-' : `${number(result.baseline)} ${result.unit}`
    const label = result.baselineLabel ? ` (${result.baselineLabel})` : ''
    return [
      scenario.id,
      `${number(result.figure)} ${result.unit}`,
      scenario.target,
      `${baseline}${label}`,
      result.ratio === undefined ? '-' : number(result.ratio, 3),
      verdict(result),
    ]
  })
  const table = [header, ...body]
  const widths = header.map((_, column) => Math.max(...table.map((row) => row[column]!.length)))
  const line = (row: string[]): string =>
    row
      .map((cell, column) => cell.padEnd(widths[column]!))
      .join('  ')
      .trimEnd()
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...body.map(line)].join('\n')
}
