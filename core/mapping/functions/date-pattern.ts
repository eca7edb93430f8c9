import type { DateParts } from './date-parts.ts'
import { checked } from './date-parts.ts'

type Field = 'year' | 'month' | 'day' | 'hour' | 'minute' | 'second' | 'millisecond'

interface CompiledPattern {
  regex: RegExp
  fields: Field[]
  hasTime: boolean
}

// Longest tokens first so `yyyy` wins over `yy`, `MM` over `M`.
const TOKENS: [string, Field, string][] = [
  ['yyyy', 'year', '(\\d{4})'],
  ['MM', 'month', '(\\d{2})'],
  ['dd', 'day', '(\\d{2})'],
  ['HH', 'hour', '(\\d{2})'],
  ['mm', 'minute', '(\\d{2})'],
  ['ss', 'second', '(\\d{2})'],
  ['fff', 'millisecond', '(\\d{3})'],
  ['M', 'month', '(\\d{1,2})'],
  ['d', 'day', '(\\d{1,2})'],
  ['H', 'hour', '(\\d{1,2})'],
]

const compiledPatterns = new Map<string, CompiledPattern>()
const MAX_PATTERNS = 200

function compile(format: string): CompiledPattern {
  let source = ''
  const fields: Field[] = []
  for (let i = 0; i < format.length; ) {
    const token = TOKENS.find(([text]) => format.startsWith(text, i))
    if (token) {
      source += token[2]
      fields.push(token[1])
      i += token[0].length
    } else {
      source += format[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
      i += 1
    }
  }
  const hasTime = fields.includes('hour')
  return { regex: new RegExp(`^${source}$`), fields, hasTime }
}

/** Reads `text` written in a .NET-style date pattern (yyyy MM dd HH mm ss fff; M d H unpadded). */
export function parseDatePattern(
  text: string,
  format: string,
): { parts: DateParts; hasTime: boolean } | undefined {
  let pattern = compiledPatterns.get(format)
  if (!pattern) {
    pattern = compile(format)
    // Formats come from manifests, so there are few; the bound only protects against generated ones.
    if (compiledPatterns.size >= MAX_PATTERNS) compiledPatterns.clear()
    compiledPatterns.set(format, pattern)
  }
  const match = pattern.regex.exec(text)
  if (!match) return undefined
  const parts: DateParts = { year: 0, month: 1, day: 1, hour: 0, minute: 0, second: 0, millisecond: 0 }
  pattern.fields.forEach((field, i) => {
    parts[field] = Number(match[i + 1])
  })
  if (!pattern.fields.includes('year')) return undefined
  const valid = checked(parts, undefined)
  return valid && { parts: valid, hasTime: pattern.hasTime }
}
