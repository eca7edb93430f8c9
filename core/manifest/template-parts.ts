/**
 * Splits a connector template (`/v1/invoices/{{ id }}/post`) into literal text and `{{ JSONata }}`
 * parts. Shared by the manifest checks (which report a bad part at its line and column) and the
 * declarative runtime (which evaluates the parts).
 */

/** One part of a template. `offset` is where the expression starts inside the template text. */
export type TemplatePart = { literal: string } | { expression: string; offset: number }

/** A template split into parts, or the offset and reason it cannot be. */
export type ParsedTemplate = { parts: TemplatePart[] } | { problem: { offset: number; message: string } }

/**
 * Splits `text`. An expression ends at the first `}}` outside a string literal and outside braces it
 * opened itself, so `{{ {"a": {"b": 1}} }}` is one expression.
 */
export function parseTemplate(text: string): ParsedTemplate {
  const parts: TemplatePart[] = []
  let literal = ''
  let i = 0
  while (i < text.length) {
    if (!text.startsWith('{{', i)) {
      literal += text[i]
      i++
      continue
    }
    const start = i + 2
    const end = expressionEnd(text, start)
    if (end === undefined) return { problem: { offset: i, message: 'a "{{" has no matching "}}"' } }
    const raw = text.slice(start, end)
    if (raw.trim() === '') return { problem: { offset: i, message: 'an empty "{{ }}"' } }
    if (literal) parts.push({ literal })
    literal = ''
    const lead = raw.length - raw.trimStart().length
    parts.push({ expression: raw.trim(), offset: start + lead })
    i = end + 2
  }
  if (literal) parts.push({ literal })
  return { parts }
}

function expressionEnd(text: string, from: number): number | undefined {
  let depth = 0
  let quote: string | undefined
  for (let i = from; i < text.length; i++) {
    const c = text[i]!
    if (quote) {
      if (c === '\\') i++
      else if (c === quote) quote = undefined
      continue
    }
    if (c === '"' || c === "'" || c === '`') quote = c
    else if (c === '{') depth++
    else if (c === '}') {
      if (depth === 0 && text[i + 1] === '}') return i
      depth = Math.max(0, depth - 1)
    }
  }
  return undefined
}
