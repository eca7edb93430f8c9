/** Finds the syntax error of a JSONata expression, if any, as an offset into the expression. */
import jsonata from 'jsonata'

/** A JSONata syntax error: where (character offset) and what (message with JSONata's code). */
export interface JsonataProblem {
  offset: number
  message: string
}

interface JsonataError {
  code?: string
  position?: number
  token?: unknown
  message?: string
}

/**
 * Compiles `expression` and returns its syntax error. JSONata reports the offset just after the
 * offending token; this points at the token's start instead, and an "end of expression" error at the
 * end of the last non-blank character (so it lands on the line where the expression stops).
 */
export function jsonataProblem(expression: string): JsonataProblem | undefined {
  try {
    jsonata(expression)
    return undefined
  } catch (caught) {
    const error = caught as JsonataError
    const end = expression.trimEnd().length
    let offset = typeof error.position === 'number' ? error.position : 0
    if (error.token === '(end)') offset = end
    else if (typeof error.token === 'string' || typeof error.token === 'number')
      offset -= String(error.token).length
    offset = Math.max(0, Math.min(offset, end))
    const text = String(error.message ?? 'invalid expression')
    const message = `${text.charAt(0).toLowerCase()}${text.slice(1)}${error.code ? ` (${error.code})` : ''}`
    return { offset, message }
  }
}
