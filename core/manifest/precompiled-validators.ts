import type { ValidateFunction } from 'ajv/dist/2020.js'

/**
 * Manifest validators compiled ahead of time, by the schema object they validate. Empty in the
 * sources (tests and tsx compile each schema once, at first use); the CLI build
 * (scripts/build-cli.ts) replaces this module with ajv's standalone code for the connector, flow and
 * recipe schemas, compiled with {@link manifestAjvOptions}, so `ferry validate` does not spend
 * ~200 ms of CPU compiling them at every call.
 */
export const precompiledValidators: ReadonlyMap<object, ValidateFunction> = new Map()
