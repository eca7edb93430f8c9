/** How bad a problem is: errors make a manifest unusable, warnings only point at likely mistakes. */
export type Severity = 'error' | 'warning'

/**
 * One problem found in a manifest, with its place. `line` and `col` are 1-based; `pointer` is the
 * JSON pointer of the field the problem is about (`''` for the whole document).
 */
export interface Diagnostic {
  file: string
  line: number
  col: number
  severity: Severity
  /** Stable, machine-readable kind of problem, e.g. `unknown-operation`. */
  code: string
  message: string
  pointer: string
}

/** Formats a diagnostic as `file:line:col  message  (pointer)`; the root pointer shows as `/`. */
export function formatDiagnostic(d: Diagnostic): string {
  const prefix = d.severity === 'warning' ? 'warning: ' : ''
  return `${d.file}:${d.line}:${d.col}  ${prefix}${d.message}  (${d.pointer === '' ? '/' : d.pointer})`
}

/** Orders diagnostics by file, line and column, and drops exact duplicates. */
export function sortDiagnostics(diagnostics: readonly Diagnostic[]): Diagnostic[] {
  const seen = new Set<string>()
  const unique = diagnostics.filter((d) => {
    const key = formatDiagnostic(d)
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
  return unique.sort((a, b) =>
    a.file === b.file ? a.line - b.line || a.col - b.col : a.file < b.file ? -1 : 1,
  )
}

/** True when any diagnostic is an error. */
export function hasErrors(diagnostics: readonly Diagnostic[]): boolean {
  return diagnostics.some((d) => d.severity === 'error')
}
