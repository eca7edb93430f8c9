/** The mapping engine's public surface: compile and evaluate JSONata mappings, run mapping tests. */
export {
  type CompiledMapping,
  compileMapping,
  type MappingEnv,
  type MappingOptions,
} from './compile-mapping.ts'
export { describeDifference, diffJson, type JsonDifference } from './diff-json.ts'
export { formatMappingTestResults } from './format-mapping-test-results.ts'
export { mappingFunctions } from './functions/mapping-functions.ts'
export type { LookupResolver } from './mapping-context.ts'
export {
  describeMappingError,
  isMappingError,
  MappingError,
  type MappingPosition,
  positionAt,
} from './mapping-error.ts'
export {
  type MappingTestCase,
  type MappingTestResult,
  type MappingTestSpec,
  runMappingTests,
} from './run-mapping-tests.ts'
