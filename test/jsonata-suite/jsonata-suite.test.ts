import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { compileMapping, type MappingOptions } from '../../core/mapping/compile-mapping.ts'
import { isMappingError } from '../../core/mapping/mapping-error.ts'

// JSONata's own language-neutral test suite (jsonata-js/jsonata, test/test-suite at tag v2.2.2, the
// version Ferry pins; MIT, see LICENSE here) run through Ferry's mapping engine: compileMapping with its
// function library and guards. Each case's fields are described in TESTSUITE.md.
//
// How the suite's expectations read through Ferry (translations, not failures):
// - "undefinedResult": Ferry's evaluate turns no result into `null` (a mapping always yields JSON), so
//   `null` is expected.
// - "timelimit"/"depth": the suite's harness enforces them with its own hooks and reports U1001; Ferry's
//   guards take them as `timeoutMs`/`maxDepth` and report JSONata's D1012 (time) or D1011 (depth).
// - Cases without limits run under Ferry's default guards (depth 200 …) except the 1 s time limit,
//   raised to 20 s: a time limit says nothing about faithfulness and would only flake on a loaded machine.

const SUITE = new URL('.', import.meta.url).pathname
const GROUPS = join(SUITE, 'groups')

/**
 * The deliberate differences: cases that fail through Ferry on purpose, by "group/description", with why.
 * Everything not listed here must pass.
 */
const DELIBERATE: Readonly<Record<string, string>> = {
  'tail-recursion/case002.json':
    'Ferry measures depth where it can grow without bound, at each function call (see core/mapping/depth-guard.ts), ' +
    'so the two or three steps inside the innermost call are not counted: $factorial(100) peaks at 303 nested ' +
    'steps, Ferry sees 300 at its last call and lets it finish under a 302 limit. The limit stops runaway ' +
    'recursion (case005, case006 are stopped); it is not an exact step count.',
}

interface SuiteCase {
  expr?: string
  'expr-file'?: string
  data?: unknown
  dataset?: string | null
  bindings?: Record<string, unknown>
  timelimit?: number
  depth?: number
  result?: unknown
  undefinedResult?: boolean
  code?: string
  token?: string
  error?: Record<string, unknown>
  description?: string
}

const datasets = new Map<string, unknown>(
  readdirSync(join(SUITE, 'datasets')).map((file) => [
    file.replace(/\.json$/, ''),
    JSON.parse(readFileSync(join(SUITE, 'datasets', file), 'utf8')),
  ]),
)

function casesOf(group: string): (SuiteCase & { id: string; source: string })[] {
  const dir = join(GROUPS, group)
  const cases: (SuiteCase & { id: string; source: string })[] = []
  for (const file of readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()) {
    const spec = JSON.parse(readFileSync(join(dir, file), 'utf8')) as SuiteCase | SuiteCase[]
    const list = Array.isArray(spec) ? spec : [spec]
    list.forEach((item, i) => {
      const source = item['expr-file']
        ? readFileSync(join(dir, item['expr-file']), 'utf8')
        : (item.expr ?? '')
      const name = item.description ?? file
      cases.push({ ...item, id: `${group}/${name}${list.length > 1 ? `#${i}` : ''}`, source })
    })
  }
  return cases
}

function inputOf(testcase: SuiteCase): unknown {
  if ('data' in testcase) return testcase.data
  if (testcase.dataset === null || testcase.dataset === undefined) return undefined
  if (!datasets.has(testcase.dataset)) throw new Error(`no dataset ${testcase.dataset}`)
  return datasets.get(testcase.dataset)
}

/** Runs one case; returns nothing when it behaves as the suite says, else what went differently. */
async function check(testcase: SuiteCase & { source: string }): Promise<string | undefined> {
  const options: MappingOptions = { timeoutMs: testcase.timelimit ?? 20_000 }
  if (testcase.depth !== undefined) options.maxDepth = testcase.depth
  const expectedCode =
    testcase.code === 'U1001' ? ['D1011', 'D1012'] : testcase.code ? [testcase.code] : undefined
  let outcome: { value: unknown } | { error: unknown }
  try {
    const compiled = compileMapping(testcase.source, options)
    outcome = { value: await compiled.evaluate(inputOf(testcase), { vars: testcase.bindings }) }
  } catch (error) {
    outcome = { error }
  }
  if ('error' in outcome) {
    const error = outcome.error
    const code = isMappingError(error) ? error.code : undefined
    if (expectedCode?.includes(code ?? '')) {
      if ('token' in testcase && isMappingError(error) && error.token !== testcase.token)
        return `token ${String(error.token)}, expected ${String(testcase.token)}`
      return undefined
    }
    if (testcase.error && isMappingError(error)) {
      const cause = error.cause as Record<string, unknown> | undefined
      const differs = Object.entries(testcase.error).filter(
        ([key, value]) => JSON.stringify(cause?.[key]) !== JSON.stringify(value),
      )
      return differs.length === 0
        ? undefined
        : `error ${JSON.stringify(cause)}, expected ${JSON.stringify(testcase.error)}`
    }
    return `threw ${code ?? ''} ${error instanceof Error ? error.message : String(error)}`
  }
  if (expectedCode || testcase.error)
    return `answered ${JSON.stringify(outcome.value)}, expected an error ${expectedCode ?? ''}`
  const expected = testcase.undefinedResult ? null : testcase.result
  try {
    expect(outcome.value).toEqual(expected)
    return undefined
  } catch {
    return `answered ${JSON.stringify(outcome.value)?.slice(0, 300)}, expected ${JSON.stringify(expected)?.slice(0, 300)}`
  }
}

const groups = readdirSync(GROUPS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

describe('JSONata test suite v2.2.2 through Ferry’s mapping engine', () => {
  it('has all 1,686 cases', () => {
    expect(groups.flatMap(casesOf)).toHaveLength(1686)
  })

  for (const group of groups) {
    it(group, { timeout: 120_000 }, async () => {
      const unexpected: string[] = []
      for (const testcase of casesOf(group)) {
        const difference = await check(testcase)
        const deliberate = DELIBERATE[testcase.id]
        if (difference && !deliberate)
          unexpected.push(`${testcase.id} ${testcase.source.slice(0, 120)}: ${difference}`)
        if (!difference && deliberate)
          unexpected.push(`${testcase.id} is listed as a deliberate difference but passes`)
      }
      expect(unexpected).toEqual([])
    })
  }
})
