/** The one ajv instance the manifest schemas are compiled with: all errors, verbose, defaults filled in. */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'

const ajv = new Ajv2020({ allErrors: true, verbose: true, useDefaults: true, strictTypes: false })
const compiled = new WeakMap<object, ValidateFunction>()

/** The compiled validator of a manifest JSON Schema (compiled once, ~ms, then cached). It fills in defaults. */
export function validatorFor(schema: object): ValidateFunction {
  let validate = compiled.get(schema)
  if (!validate) {
    validate = ajv.compile(schema)
    compiled.set(schema, validate)
  }
  return validate
}
