import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { formatDiagnostic } from '../../core/manifest/diagnostic.ts'
import { parseFlowManifest } from '../../core/manifest/parse-flow-manifest.ts'
import { parseRecipeManifest } from '../../core/manifest/parse-recipe-manifest.ts'
import type { ResolvedFlowManifest } from '../../core/manifest/resolve-flow-manifest.ts'
import { manifestKind } from '../../core/manifest/validate-manifest-files.ts'
import { formatMappingTestResults } from '../../core/mapping/format-mapping-test-results.ts'
import { type MappingTestCase, runMappingTests } from '../../core/mapping/run-mapping-tests.ts'
import { connectorRegistry } from '../main/connector-registry.ts'
import { readManifestFiles, resolveFromDisk } from './read-manifest-files.ts'

function toTestCase(test: NonNullable<ResolvedFlowManifest['tests']>[number]): MappingTestCase {
  const expectError = 'expectError' in test ? test.expectError : undefined
  return {
    name: test.name,
    input: test.input,
    lookups: test.lookups as MappingTestCase['lookups'],
    ...('expect' in test ? { expect: test.expect } : {}),
    ...(expectError === undefined
      ? {}
      : { expectError: typeof expectError === 'string' ? { message: expectError } : expectError }),
  }
}

/** Runs the `tests:` of every flow in the given files/folders; returns passed/failed counts. */
export async function runManifestTests(args: string[], out: (text: string) => void) {
  const catalog = catalogFromConnectors(connectorRegistry().registry)
  let passed = 0
  let failed = 0
  for (const { file, text } of readManifestFiles(args)) {
    // Connector manifests hold no mapping tests; `ferry validate` checks them.
    if (manifestKind(file, text) === 'connector') continue
    const input = { file, text, catalog, resolveFile: resolveFromDisk }
    const parsed =
      manifestKind(file, text) === 'recipe' ? parseRecipeManifest(input) : parseFlowManifest(input)
    const flows: ResolvedFlowManifest[] =
      'flows' in parsed
        ? (parsed.flows ?? [])
        : 'manifest' in parsed && parsed.manifest
          ? [parsed.manifest]
          : []
    const errors = parsed.diagnostics.filter((d) => d.severity === 'error')
    if (errors.length > 0) {
      out(errors.map(formatDiagnostic).join('\n') + '\n')
      failed += errors.length
      continue
    }
    for (const flow of flows) {
      const tests = flow.tests ?? []
      if (tests.length === 0) continue
      const results = await runMappingTests({ map: flow.map.source, tests: tests.map(toTestCase) })
      out(formatMappingTestResults(results, { file: `${flow.name} (${flow.map.file})` }))
      passed += results.filter((r) => r.passed).length
      failed += results.filter((r) => !r.passed).length
    }
  }
  return { passed, failed }
}

/** `ferry test <files…>`: exit 1 when any mapping test fails. */
export async function testCommand(args: string[], out: (text: string) => void): Promise<number> {
  if (args.length === 0) {
    out('usage: ferry test <manifest or folder>…\n')
    return 2
  }
  const { passed, failed } = await runManifestTests(args, out)
  out(`${passed} passed, ${failed} failed\n`)
  return failed > 0 ? 1 : 0
}
