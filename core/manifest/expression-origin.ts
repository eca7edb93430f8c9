/**
 * Where each character of an expression came from, so an error at a character offset inside a
 * JSONata expression is reported at the right line and column of the file it was written in —
 * through YAML quoting, escapes, folding and block-scalar indentation.
 */
import { type LineCounter, Scalar } from 'yaml'

/** A run of expression characters that sit contiguously on one line of the file. */
export interface OriginSegment {
  /** Offset in the expression where the run starts. */
  at: number
  line: number
  col: number
}

/** The file an expression was written in, and where each of its characters sits there. Serializable. */
export interface ExpressionOrigin {
  file: string
  segments: OriginSegment[]
}

/** 1-based line and column of an offset inside the expression (an offset past the end follows the last character). */
export function locateInExpression(origin: ExpressionOrigin, offset: number): { line: number; col: number } {
  let segment = origin.segments[0] ?? { at: 0, line: 1, col: 1 }
  for (const s of origin.segments) {
    if (s.at > offset) break
    segment = s
  }
  return { line: segment.line, col: segment.col + (offset - segment.at) }
}

/** The origin of a whole file's text (a `.jsonata` file): offsets map straight onto lines. */
export function fileOrigin(file: string, text: string): ExpressionOrigin {
  const segments: OriginSegment[] = [{ at: 0, line: 1, col: 1 }]
  for (let i = 0, line = 1; i < text.length; i++) {
    if (text[i] === '\n') segments.push({ at: i + 1, line: ++line, col: 1 })
  }
  return { file, segments }
}

/** The origin of a YAML/JSON string scalar's value inside the manifest text. */
export function scalarOrigin(
  file: string,
  text: string,
  lineCounter: LineCounter,
  node: Scalar,
): ExpressionOrigin {
  const value = String(node.value)
  const offsets = alignValue(text, node, value)
  const segments: OriginSegment[] = []
  let previous: { line: number; col: number } | undefined
  for (const [at, offset] of offsets.entries()) {
    const here = lineCounter.linePos(offset)
    if (!previous || here.line !== previous.line || here.col !== previous.col + 1) {
      segments.push({ at, line: here.line, col: here.col })
    }
    previous = here
  }
  return { file, segments }
}

/** Source offsets of the scalar's content, with block indentation and quotes left out. */
function contentOffsets(text: string, node: Scalar): number[] {
  const [start, end] = node.range ?? [0, 0]
  const offsets: number[] = []
  if (node.type === Scalar.BLOCK_LITERAL || node.type === Scalar.BLOCK_FOLDED) {
    const bodyStart = text.indexOf('\n', start) + 1
    if (bodyStart === 0) return offsets
    const lines = text.slice(bodyStart, end).split('\n')
    const indent = Math.min(
      ...lines.filter((l) => l.trim() !== '').map((l) => l.length - l.trimStart().length),
      Number.POSITIVE_INFINITY,
    )
    let lineStart = bodyStart
    for (const line of lines) {
      const skip = Math.min(indent, line.length - line.trimStart().length)
      for (let i = lineStart + skip; i <= lineStart + line.length && i < end; i++) offsets.push(i)
      lineStart += line.length + 1
    }
    return offsets
  }
  const quoted = node.type === Scalar.QUOTE_DOUBLE || node.type === Scalar.QUOTE_SINGLE
  for (let i = quoted ? start + 1 : start; i < (quoted ? end - 1 : end); i++) offsets.push(i)
  return offsets
}

const escapeLength: Record<string, number> = { x: 4, u: 6, U: 10 }

/**
 * Walks the value and the source side by side: equal characters pair up, an escape or a folded line
 * break stands for its character, and anything else in the source (indentation, folding spaces) is
 * skipped. Returns one source offset per value character, plus one for the position after the end.
 */
function alignValue(text: string, node: Scalar, value: string): number[] {
  const stream = contentOffsets(text, node)
  const flow = node.type !== Scalar.BLOCK_LITERAL && node.type !== Scalar.BLOCK_FOLDED
  const result: number[] = []
  let p = 0
  for (const c of value.split('')) {
    let mapped: number | undefined
    while (p < stream.length && mapped === undefined) {
      const at = stream[p]!
      const s = text[at]
      if (node.type === Scalar.QUOTE_DOUBLE && s === '\\') {
        mapped = at
        p += escapeLength[text[at + 1] ?? ''] ?? 2
      } else if (s === c) {
        mapped = at
        p++
        if (node.type === Scalar.QUOTE_SINGLE && c === "'" && text[stream[p] ?? -1] === "'") p++
      } else if ((c === ' ' || c === '\n') && s === '\n') {
        mapped = at
        p++
        while (flow && (text[stream[p] ?? -1] === ' ' || text[stream[p] ?? -1] === '\t')) p++
      } else {
        p++
      }
    }
    result.push(mapped ?? (result.at(-1) ?? node.range?.[0] ?? 0) + 1)
  }
  result.push((result.at(-1) ?? node.range?.[0] ?? 0) + 1)
  return result
}
