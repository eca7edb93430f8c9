import { type CompiledMapping, compileMapping } from './compile-mapping.ts'
import { describeDifference, diffJson } from './diff-json.ts'
import { isMappingError, MappingError } from './mapping-error.ts'

/** One mapping test case as a manifest's `tests:` list holds it. */
export interface MappingTestCase {
  name: string
  input: unknown
  /** Lookup tables by name, each a key → value object (`{ vendorNo: { "0100047516": "V0010" } }`). */
  lookups?: Record<string, Record<string, unknown>>
  /** The exact output expected. */
  expect?: unknown
  /** The mapping must fail: with this code, and/or a message containing this text. */
  expectError?: { code?: string; message?: string }
}

/** A mapping and the cases to run against it. */
export interface MappingTestSpec {
  map: CompiledMapping | string
  tests: MappingTestCase[]
}

/** The outcome of one case. */
export interface MappingTestResult {
  name: string
  passed: boolean
  /** The mapping's output, when it produced one. */
  actual?: unknown
  /** The mapping's error, when it failed. */
  error?: MappingError
  /** Why the case failed, one readable line each (structural diff lines name JSON paths). */
  problems: string[]
}

function lookupFrom(tables: MappingTestCase['lookups']) {
  return (table: string, key: unknown): unknown => {
    const entries = tables?.[table]
    if (!entries) return undefined
    const name = String(key)
    return Object.hasOwn(entries, name) ? entries[name] : undefined
  }
}

function errorProblems(expected: NonNullable<MappingTestCase['expectError']>, error: MappingError): string[] {
  const problems: string[] = []
  if (expected.code !== undefined && expected.code !== error.code) {
    problems.push(`expected error code ${expected.code}, got ${error.code}: ${error.message}`)
  }
  if (expected.message !== undefined && !error.message.includes(expected.message)) {
    problems.push(
      `expected an error message containing ${JSON.stringify(expected.message)}, got ${JSON.stringify(error.message)}`,
    )
  }
  return problems
}

async function runCase(map: CompiledMapping, test: MappingTestCase): Promise<MappingTestResult> {
  let actual: unknown
  try {
    actual = await map.evaluate(test.input, { lookup: lookupFrom(test.lookups), recordKey: test.name })
  } catch (thrown) {
    const error = isMappingError(thrown) ? thrown : new MappingError('mapping_failed', String(thrown))
    const problems = test.expectError
      ? errorProblems(test.expectError, error)
      : [
          `failed with ${error.code}: ${error.message}${error.position ? ` (at ${error.position.line}:${error.position.col})` : ''}`,
        ]
    return { name: test.name, passed: problems.length === 0, error, problems }
  }
  if (test.expectError) {
    const wanted = test.expectError.code ?? test.expectError.message ?? 'an error'
    return {
      name: test.name,
      passed: false,
      actual,
      problems: [`expected ${wanted}, but the mapping succeeded`],
    }
  }
  const problems = diffJson(test.expect ?? null, actual).map(describeDifference)
  return { name: test.name, passed: problems.length === 0, actual, problems }
}

/**
 * Runs a mapping's test cases (what `ferry test` does): each input is mapped with its own lookup tables
 * and compared structurally with the expected output or error. A mapping that does not compile fails
 * every case with the syntax error.
 */
export async function runMappingTests(spec: MappingTestSpec): Promise<MappingTestResult[]> {
  let map: CompiledMapping
  try {
    map = typeof spec.map === 'string' ? compileMapping(spec.map) : spec.map
  } catch (thrown) {
    const error = isMappingError(thrown) ? thrown : new MappingError('mapping_failed', String(thrown))
    const where = error.position ? ` at ${error.position.line}:${error.position.col}` : ''
    const problem = `the mapping does not compile: ${error.code}${where}: ${error.message}`
    return spec.tests.map((test) => ({ name: test.name, passed: false, error, problems: [problem] }))
  }
  const results: MappingTestResult[] = []
  for (const test of spec.tests) results.push(await runCase(map, test))
  return results
}
