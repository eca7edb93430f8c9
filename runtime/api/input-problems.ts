import type { ProblemDetailItem } from './problem.ts'

/** How deeply request JSON may nest: far beyond any real config, far below what a recursive validator survives. */
export const MAX_JSON_DEPTH = 64

/** At most this many problems are listed for one request (a 1 MB body could otherwise list thousands). */
const MAX_PROBLEMS = 20

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (UTF-16 code units). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/

/**
 * Why `text` cannot be stored, or undefined when it can: PostgreSQL refuses NUL in text and jsonb, and
 * a lone UTF-16 surrogate is not Unicode (jsonb refuses its escape; a text column would silently get
 * U+FFFD instead).
 */
export function textProblem(text: string): string | undefined {
  if (text.includes('\u0000')) return 'contains a NUL character (U+0000), which cannot be stored'
  const lone = LONE_SURROGATE.exec(text)
  if (lone) {
    const code = lone[0].charCodeAt(0).toString(16).toUpperCase()
    return `contains a lone surrogate (U+${code}), which is not valid Unicode`
  }
  return undefined
}

/** Escapes one member name for a JSON pointer (RFC 6901). */
export function pointerToken(member: string): string {
  return member.replaceAll('~', '~0').replaceAll('/', '~1')
}

/**
 * Everything in a JSON value that Ferry cannot store faithfully: NUL and lone surrogates in strings
 * and member names, numbers JSON.parse turned into ±Infinity, nesting deeper than
 * {@link MAX_JSON_DEPTH}. Each problem points at its member (under `base`). Walks without recursion,
 * so no input can overflow the stack.
 */
export function inputProblems(value: unknown, base = ''): ProblemDetailItem[] {
  const problems: ProblemDetailItem[] = []
  const stack: { value: unknown; pointer: string; depth: number }[] = [{ value, pointer: base, depth: 0 }]
  while (stack.length > 0 && problems.length < MAX_PROBLEMS) {
    const { value: v, pointer, depth } = stack.pop()!
    if (typeof v === 'string') {
      const problem = textProblem(v)
      if (problem) problems.push({ pointer, detail: problem })
    } else if (typeof v === 'number') {
      if (!Number.isFinite(v)) problems.push({ pointer, detail: 'must be a finite number' })
    } else if (v !== null && typeof v === 'object') {
      if (depth >= MAX_JSON_DEPTH) {
        problems.push({ pointer, detail: `is nested deeper than ${MAX_JSON_DEPTH} levels` })
        continue
      }
      const entries = Array.isArray(v) ? v.map((item, i) => [String(i), item] as const) : Object.entries(v)
      for (let i = entries.length - 1; i >= 0; i--) {
        const [member, item] = entries[i]!
        const at = `${pointer}/${pointerToken(member)}`
        const problem = textProblem(member)
        if (problem) problems.push({ pointer: at, detail: `member name ${problem}` })
        else stack.push({ value: item, pointer: at, depth: depth + 1 })
      }
    }
  }
  return problems
}
