import { describe, expect, it } from 'vitest'
import { compileMapping } from './compile-mapping.ts'
import { MappingError } from './mapping-error.ts'

const evaluate = (source: string, input: unknown = {}) => compileMapping(source).evaluate(input)

async function failure(promise: Promise<unknown>): Promise<MappingError> {
  try {
    await promise
  } catch (error) {
    expect(error).toBeInstanceOf(MappingError)
    return error as MappingError
  }
  throw new Error('expected the mapping to fail')
}

describe('compileMapping', () => {
  it('compiles once per source and options, and returns the cached mapping', () => {
    const source = "{ 'a': x }"
    expect(compileMapping(source)).toBe(compileMapping(source))
    expect(compileMapping(source, { timeoutMs: 500 })).not.toBe(compileMapping(source))
  })

  it.each([
    { name: 'missing bracket', source: '(\n  $a := 1;\n  { "x": $a\n}', code: 'S0203', line: 4, col: 1 },
    { name: 'unexpected token', source: "{ 'a': x,\n  'b': ) }", code: 'S0211', line: 2, col: 8 },
    { name: 'unterminated string', source: "{ 'a': 'abc }", code: 'S0101', line: 1, col: 13 },
  ])('reports a syntax error ($name) with its code and line:col', ({ source, code, line, col }) => {
    let error: unknown
    try {
      compileMapping(source)
    } catch (thrown) {
      error = thrown
    }
    expect(error).toBeInstanceOf(MappingError)
    expect(error).toMatchObject({ code, position: { line, col } })
  })

  it('rejects limits that would switch the guardrails off', () => {
    expect(() => compileMapping('1', { timeoutMs: 0 })).toThrow(RangeError)
    expect(() => compileMapping('1', { maxDepth: 0 })).toThrow(RangeError)
  })

  it('prefixes messages with the mapping name', async () => {
    const error = await failure(compileMapping("'a' + 1", { name: 'invoice-to-bc' }).evaluate({}))
    expect(error.message).toMatch(/^invoice-to-bc: /)
    expect(error.code).toBe('T2001')
  })
})

describe('guardrails', () => {
  it('stops a runaway tail recursion with D1012 and keeps the process usable', async () => {
    const runaway = compileMapping('( $f := function($x) { $f($x + 1) }; $f(0) )', { timeoutMs: 100 })
    const error = await failure(runaway.evaluate({}))
    expect(error.code).toBe('D1012')
    expect(error.message).toContain('100 ms')
    await expect(evaluate('1 + 1')).resolves.toBe(2)
  })

  it('stops an endless loop over a huge range with D1012 too', async () => {
    const runaway = compileMapping('$count([1..10000000].($ * 2))', { timeoutMs: 100 })
    expect((await failure(runaway.evaluate({}))).code).toMatch(/^D1012|D2015$/)
  })

  it('stops deep non-tail recursion with D1011 and points at the call', async () => {
    const deep = compileMapping('( $f := function($x) { $x > 100000 ? 0 : 1 + $f($x + 1) }; $f(0) )')
    const error = await failure(deep.evaluate({}))
    expect(error.code).toBe('D1011')
    expect(error.position?.line).toBe(1)
  })

  it('counts depth, not width: a 300-field mapping calling functions evaluates under the default guards', async () => {
    const fields = Array.from({ length: 300 }, (_, i) => `'f${i}': $trim($string(a.b${i}))`)
    const viaLambda = Array.from({ length: 300 }, (_, i) => `'g${i}': $fmt(a.b${i})`)
    const source = `( $fmt := function($x) { $uppercase($string($x)) }; { ${[...fields, ...viaLambda].join(', ')} } )`
    const input = { a: Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`b${i}`, `v${i}`])) }
    const result = (await compileMapping(source).evaluate(input)) as Record<string, string>
    expect(Object.keys(result)).toHaveLength(600)
    expect(result.f299).toBe('v299')
    expect(result.g299).toBe('V299')
  })

  it('lets recursion run up to the depth limit and stops it just past it', async () => {
    const factorial = (n: number, maxDepth: number) =>
      compileMapping(`( $f := function($n) { $n = 0 ? 1 : $n * $f($n - 1) }; $f(${n}) )`, {
        maxDepth,
      }).evaluate({})
    // Each level of this recursion nests three evaluation steps (the condition, the product, the call).
    await expect(factorial(60, 200)).resolves.toBeGreaterThan(1e80)
    const error = await failure(factorial(80, 200))
    expect(error.code).toBe('D1011')
    expect(error.message).toContain('depth limit of 200')
  })

  it('caps sequence length when maxSequence is set', async () => {
    const long = compileMapping('[1..100000]', { maxSequence: 1000 })
    expect((await failure(long.evaluate({}))).code).toBe('D2015')
  })

  it('never fails a fast evaluation early, also when many run interleaved', async () => {
    const map = compileMapping('$sum(lines.(qty * price))', { timeoutMs: 1000 })
    const input = { lines: Array.from({ length: 20 }, (_, i) => ({ qty: i, price: 2 })) }
    const results = await Promise.all(Array.from({ length: 500 }, () => map.evaluate(input)))
    expect(new Set(results)).toEqual(new Set([380]))
  })
})

describe('evaluate', () => {
  it.each([
    { name: 'no result becomes null', source: 'missing', input: {}, output: null },
    {
      name: 'a one-element [path] stays an array',
      source: "{ 'lines': [rows.x] }",
      input: { rows: [{ x: 1 }] },
      output: { lines: [1] },
    },
    {
      name: 'a one-element path collapses as JSONata says',
      source: "{ 'line': rows.x }",
      input: { rows: [{ x: 1 }] },
      output: { line: 1 },
    },
    {
      name: 'sequences become plain arrays',
      source: 'rows.x',
      input: { rows: [{ x: 1 }, { x: 2 }] },
      output: [1, 2],
    },
    { name: 'missing fields are left out', source: "{ 'a': a, 'b': b }", input: { a: 1 }, output: { a: 1 } },
    {
      name: 'functions in the output are dropped',
      source: "{ 'f': function($x) { $x }, 'a': 1 }",
      input: {},
      output: { a: 1 },
    },
  ])('$name', async ({ source, input, output }) => {
    const result = await evaluate(source, input)
    expect(result).toEqual(output)
    expect(JSON.parse(JSON.stringify(result))).toEqual(result)
    if (Array.isArray(result)) expect(Object.keys(result)).toEqual(result.map((_, i) => String(i)))
  })

  it('passes vars through as $variables', async () => {
    const map = compileMapping("{ 'voucherNumber': $result.number }")
    await expect(map.evaluate({}, { vars: { result: { number: 'PI-1' } } })).resolves.toEqual({
      voucherNumber: 'PI-1',
    })
  })

  it('puts the record key and position on runtime errors', async () => {
    const error = await failure(compileMapping("{\n  'a': 'x' + 1\n}").evaluate({}, { recordKey: 'INV-7' }))
    expect(error).toMatchObject({ code: 'T2001', recordKey: 'INV-7', position: { line: 2 } })
    expect(error.toJSON()).toMatchObject({ code: 'T2001', recordKey: 'INV-7' })
  })

  it('does not modify the input', async () => {
    const input = { rows: [{ x: 2 }, { x: 1 }] }
    const before = structuredClone(input)
    await evaluate("{ 'sorted': rows^(x), 'all': $ }", input)
    expect(input).toEqual(before)
  })
})
