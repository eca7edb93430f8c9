import type { MappingTestResult } from './run-mapping-tests.ts'

/**
 * The text `ferry test` prints for one file: the file name, ✓ or ✗ per case with the problems indented
 * under failures, and a summary line `N passed, M failed`.
 */
export function formatMappingTestResults(
  results: readonly MappingTestResult[],
  options: { file: string },
): string {
  const lines = [options.file]
  for (const result of results) {
    lines.push(`  ${result.passed ? '✓' : '✗'} ${result.name}`)
    if (!result.passed) for (const problem of result.problems) lines.push(`      ${problem}`)
  }
  const passed = results.filter((result) => result.passed).length
  lines.push(`${passed} passed, ${results.length - passed} failed`)
  return `${lines.join('\n')}\n`
}
