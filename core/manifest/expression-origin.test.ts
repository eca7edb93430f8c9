import { describe, expect, it } from 'vitest'
import { LineCounter, parseDocument, type Scalar } from 'yaml'
import { fileOrigin, locateInExpression, scalarOrigin } from './expression-origin.ts'

/** Where `needle` (inside the `expr` value) sits in the YAML text, found through the origin. */
function locate(yaml: string, needle: string) {
  const lineCounter = new LineCounter()
  const doc = parseDocument(yaml, { lineCounter })
  const node = doc.get('expr', true) as Scalar
  const value = String(node.value)
  return locateInExpression(scalarOrigin('m.yaml', yaml, lineCounter, node), value.indexOf(needle))
}

describe('scalarOrigin', () => {
  it.each([
    ['plain', 'expr: a + bad\n', { line: 1, col: 11 }],
    ['plain over two lines', 'expr: a +\n  b + bad\n', { line: 2, col: 7 }],
    ['double-quoted with escapes', 'expr: "\\"x\\" & \\u00e9 & bad"\n', { line: 1, col: 25 }],
    ['single-quoted with doubled quotes', "expr: '''x'' & bad'\n", { line: 1, col: 16 }],
    ['literal block', 'expr: |\n  {\n    "a": bad\n  }\n', { line: 3, col: 10 }],
    ['folded block', 'expr: >\n  a &\n  b & bad\n', { line: 3, col: 7 }],
    ['block with explicit chomping', 'top: 1\nexpr: |-\n    x\n    bad\n', { line: 4, col: 5 }],
  ])('%s', (_, yaml, position) => {
    expect(locate(yaml, 'bad')).toEqual(position)
  })

  it('puts an offset past the end just after the last character', () => {
    const yaml = 'expr: a +\n'
    const lineCounter = new LineCounter()
    const node = parseDocument(yaml, { lineCounter }).get('expr', true) as Scalar
    expect(locateInExpression(scalarOrigin('m.yaml', yaml, lineCounter, node), 3)).toEqual({
      line: 1,
      col: 10,
    })
  })
})

describe('fileOrigin', () => {
  it('maps offsets of a whole file to lines and columns', () => {
    const origin = fileOrigin('map.jsonata', '(\n  a;\n  bad\n)')
    expect(locateInExpression(origin, '(\n  a;\n  '.length)).toEqual({ line: 3, col: 3 })
    expect(origin.file).toBe('map.jsonata')
  })
})
