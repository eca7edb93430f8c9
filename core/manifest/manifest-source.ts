/**
 * A manifest file parsed with positions: the YAML (or JSON) document, its syntax problems, and the
 * way from a JSON pointer back to a line and column.
 */
import {
  type Document,
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml'
import type { Diagnostic } from './diagnostic.ts'

/** A parsed manifest file. `data` is the plain JS value; it is unreliable when `broken` is true. */
export interface ManifestSource {
  file: string
  text: string
  doc: Document.Parsed
  lineCounter: LineCounter
  data: unknown
  /** YAML/JSON syntax problems, already positioned. */
  syntax: Diagnostic[]
  /** True when the syntax problems make the structure untrustworthy, so schema checks would mislead. */
  broken: boolean
}

/** Syntax problems after which the document structure is still exactly what the author wrote. */
const harmless = new Set(['DUPLICATE_KEY'])

/**
 * The largest manifest file read, in characters. Shipped flows are under 10 KB; parsing and checking
 * time grows with size (a 600 KB manifest with 20,000 lookups took ~10 s), so beyond this a file gets
 * one diagnostic instead of being parsed.
 */
export const MANIFEST_SIZE_LIMIT = 256 * 1024

/**
 * Parses YAML, or JSON when the file name or content says so (JSON is then also held to strict JSON).
 * A file over {@link MANIFEST_SIZE_LIMIT} is not parsed: it is `broken`, with a `too-large` diagnostic.
 */
export function readManifestSource(file: string, text: string): ManifestSource {
  const lineCounter = new LineCounter()
  if (text.length > MANIFEST_SIZE_LIMIT) {
    const doc = parseDocument('', { lineCounter })
    const message = `the manifest is ${text.length} characters long, over the limit of ${MANIFEST_SIZE_LIMIT}; split it (a recipe can hold many flows) or move large tables to a mapping table`
    const tooLarge: Diagnostic = {
      file,
      line: 1,
      col: 1,
      severity: 'error',
      code: 'too-large',
      message,
      pointer: '',
    }
    return { file, text, doc, lineCounter, data: undefined, syntax: [tooLarge], broken: true }
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true })
  const source: ManifestSource = { file, text, doc, lineCounter, data: undefined, syntax: [], broken: false }
  for (const error of doc.errors) {
    const offset = error.pos[0]
    source.syntax.push({
      ...positionOf(source, offset),
      file,
      severity: 'error',
      code: error.code === 'DUPLICATE_KEY' ? 'duplicate-key' : 'syntax',
      message: syntaxMessage(error.code, error.message),
      pointer: pointerAt(doc.contents, offset, ''),
    })
    if (!harmless.has(error.code)) source.broken = true
  }
  if (source.syntax.length === 0 && looksLikeJson(file, text)) checkStrictJson(source)
  readData(source)
  return source
}

/** More aliases than this is refused: each may expand to a copy of what it names (a "billion laughs"). */
const MAX_ALIASES = 100

function readData(source: ManifestSource): void {
  try {
    source.data = source.doc.toJS({ maxAliasCount: MAX_ALIASES })
  } catch (error) {
    // The yaml library refuses excessive aliasing with a plain error; it is the author's input, not a crash.
    if (!(error instanceof Error) || !/alias/i.test(error.message)) throw error
    const aliases: number[] = []
    visit(source.doc, { Alias: (_, node) => void aliases.push(node.range?.[0] ?? 0) })
    // The anchored value counts as one copy, so the 100th alias is the first one past the limit.
    const offset = aliases[Math.min(MAX_ALIASES - 1, aliases.length - 1)] ?? 0
    source.syntax.push({
      ...positionOf(source, offset),
      file: source.file,
      severity: 'error',
      code: 'too-many-aliases',
      message: `YAML aliases (*name) expand to more than ${MAX_ALIASES} copies; write the values out or use fewer aliases`,
      pointer: pointerAt(source.doc.contents, offset, ''),
    })
    source.broken = true
    source.data = undefined
  }
}

function syntaxMessage(code: string, message: string): string {
  const first = message.replace(/ at line \d+, column \d+:?[\s\S]*$/, '')
  if (code === 'TAB_AS_INDENT') return 'tabs are not allowed for indentation in YAML; indent with spaces'
  if (code === 'DUPLICATE_KEY') return 'duplicate key: each field may appear only once in a mapping'
  return `YAML syntax error: ${lowerFirst(first)}`
}

function lowerFirst(text: string): string {
  return `${text.charAt(0).toLowerCase()}${text.slice(1)}`
}

function looksLikeJson(file: string, text: string): boolean {
  return file.endsWith('.json') || text.trimStart().startsWith('{')
}

// YAML accepts what JSON forbids (trailing commas, comments), so a JSON manifest is checked strictly too.
function checkStrictJson(source: ManifestSource): void {
  try {
    JSON.parse(source.text)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    const offset = Number(/at position (\d+)/.exec(message)?.[1] ?? 0)
    source.syntax.push({
      ...positionOf(source, offset),
      file: source.file,
      severity: 'error',
      code: 'syntax',
      message: `JSON syntax error: ${lowerFirst(message.replace(/ in JSON at position \d+.*$/, '').replace(/, ".*" is not valid JSON$/, ''))}`,
      pointer: pointerAt(source.doc.contents, offset, ''),
    })
    source.broken = true
  }
}

/** 1-based line and column of a character offset in the file. */
export function positionOf(source: ManifestSource, offset: number): { line: number; col: number } {
  const { line, col } = source.lineCounter.linePos(Math.max(0, Math.min(offset, source.text.length)))
  return { line, col }
}

/** The pointer of the deepest node whose range holds `offset`: where a syntax error sits in the structure. */
function pointerAt(node: unknown, offset: number, pointer: string): string {
  if (isMap(node)) {
    for (const pair of node.items) {
      const value = pair.value as Node | null
      const key = isScalar(pair.key) ? String(pair.key.value) : undefined
      const end = value?.range?.[2] ?? (pair.key as Node | null)?.range?.[2] ?? -1
      const start = (pair.key as Node | null)?.range?.[0] ?? Number.POSITIVE_INFINITY
      if (key !== undefined && offset >= start && offset < end) {
        return pointerAt(value, offset, `${pointer}/${escapePointer(key)}`)
      }
    }
  } else if (isSeq(node)) {
    for (const [index, item] of node.items.entries()) {
      const range = (item as Node | null)?.range
      if (range && offset >= range[0] && offset <= range[2])
        return pointerAt(item, offset, `${pointer}/${index}`)
    }
  }
  return pointer
}

/** Escapes one JSON pointer segment (`~` → `~0`, `/` → `~1`). */
export function escapePointer(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1')
}

/** Splits a JSON pointer into segments (numbers for sequence indexes). */
export function pointerSegments(pointer: string): (string | number)[] {
  if (pointer === '') return []
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s))
}

/** The YAML node at a pointer, when it exists. */
export function nodeAt(source: ManifestSource, pointer: string): Node | undefined {
  const segments = pointerSegments(pointer)
  if (segments.length === 0) return (source.doc.contents as Node | null) ?? undefined
  const node = source.doc.getIn(segments, true)
  return node !== null && typeof node === 'object' ? (node as Node) : undefined
}

/**
 * The offset a diagnostic about `pointer` points at. `value` is the value itself (a bad scalar);
 * `key` is the key that introduces it (an object missing a field, an unknown field). Falls back to the
 * nearest existing ancestor, then to the start of the file.
 */
export function offsetOf(source: ManifestSource, pointer: string, at: 'key' | 'value'): number {
  const segments = pointerSegments(pointer)
  if (at === 'value') {
    const node = nodeAt(source, pointer)
    if (node?.range && !(isScalar(node) && node.value === null)) return node.range[0]
  }
  for (let depth = segments.length; depth > 0; depth--) {
    const keyOffset = keyOffsetOf(source, segments.slice(0, depth))
    if (keyOffset !== undefined) return keyOffset
  }
  return (source.doc.contents as Node | null)?.range?.[0] ?? 0
}

function keyOffsetOf(source: ManifestSource, segments: (string | number)[]): number | undefined {
  if (segments.length === 0) return undefined
  const last = segments.at(-1)!
  const parent = segments.length === 1 ? source.doc.contents : source.doc.getIn(segments.slice(0, -1), true)
  if (isMap(parent)) {
    const pair = parent.items.find(
      (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(last),
    )
    return (pair?.key as Node | undefined)?.range?.[0]
  }
  if (isSeq(parent) && typeof last === 'number') return (parent.items[last] as Node | undefined)?.range?.[0]
  return undefined
}

/** A diagnostic about `pointer`, positioned there (or at `place`, another pointer, when that reads better). */
export function diagnosticAt(
  source: ManifestSource,
  pointer: string,
  at: 'key' | 'value',
  d: { code: string; message: string; severity?: 'error' | 'warning' },
  place: string = pointer,
): Diagnostic {
  return {
    file: source.file,
    ...positionOf(source, offsetOf(source, place, at)),
    severity: d.severity ?? 'error',
    code: d.code,
    message: d.message,
    pointer,
  }
}
