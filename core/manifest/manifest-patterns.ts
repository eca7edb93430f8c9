/**
 * Textual forms the manifest schemas constrain with `pattern`, each with the hint a diagnostic shows
 * when a value does not match. Keyed by the pattern so error messages can find their hint.
 */
export const manifestPatterns = {
  name: {
    pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
    hint: 'kebab-case: lowercase letters, digits and single dashes',
  },
  alias: { pattern: '^[A-Za-z][A-Za-z0-9_-]*$', hint: 'a letter followed by letters, digits, "_" or "-"' },
  duration: { pattern: '^[1-9][0-9]*(s|m|h|d)$', hint: 'a duration like 30s, 15m, 1h or 1d' },
  statusClass: { pattern: '^[1-5]xx$', hint: 'a status class like 4xx or 5xx' },
} as const

/** The hint for a pattern the schema uses, if it is one of {@link manifestPatterns}. */
export function patternHint(pattern: string): string | undefined {
  return Object.values(manifestPatterns).find((p) => p.pattern === pattern)?.hint
}

/** Milliseconds of a duration string such as `15m` (validated by the schema beforehand). */
export function durationMs(duration: string): number {
  const unit = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 }[duration.slice(-1)] ?? Number.NaN
  return Number.parseInt(duration, 10) * unit
}
