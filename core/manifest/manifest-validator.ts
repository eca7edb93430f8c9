/** The one ajv instance the manifest schemas are compiled with: all errors, verbose, defaults filled in. */
import { createRequire } from 'node:module'
import type { Ajv2020, Options, ValidateFunction } from 'ajv/dist/2020.js'
import { precompiledValidators } from './precompiled-validators.ts'

/**
 * How the manifest schemas are compiled (here, and ahead of time by the CLI build). The schemas are
 * Ferry's own (generated, checked against the meta-schema by the tests), so they are not validated
 * again at each start, and ajv's code optimiser is off: compiling is what `ferry validate` pays for
 * (500 → 220 ms of CPU for the connector and flow schemas); the validators check the same things.
 */
export const manifestAjvOptions: Options = {
  allErrors: true,
  verbose: true,
  useDefaults: true,
  strictTypes: false,
  validateSchema: false,
  code: { optimize: false },
}

let ajv: Ajv2020 | undefined
const compiled = new WeakMap<object, ValidateFunction>()

/** The compiled validator of a manifest JSON Schema (compiled once, then cached). It fills in defaults. */
export function validatorFor(schema: object): ValidateFunction {
  let validate = precompiledValidators.get(schema) ?? compiled.get(schema)
  if (!validate) {
    // Loaded on first use: the CLI build has every manifest schema precompiled and never needs ajv.
    ajv ??= new (
      createRequire(import.meta.url)('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js')
    ).Ajv2020(manifestAjvOptions)
    validate = ajv.compile(schema)
    compiled.set(schema, validate)
  }
  return validate
}
