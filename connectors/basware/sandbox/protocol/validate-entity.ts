/**
 * Validates request bodies against Basware's own OpenAPI schemas, as the API layer's synchronous
 * stage does, and words the failures the way a ResponseEntityList carries them.
 */
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js'
import { type BaswareSchemaName, baswareDefs } from '../../schemas.ts'
import type { ErrorEntity } from './response-entity-list.ts'

const ajv = new Ajv2020({ strict: false, allErrors: true })
ajv.addSchema({ $id: 'basware', $defs: baswareDefs })
const compiled = new Map<string, ValidateFunction>()

/** Schema errors of one entity, empty when it is valid. */
export function validateEntity(
  name: BaswareSchemaName,
  value: unknown,
  externalCode?: string | null,
): ErrorEntity[] {
  let validate = compiled.get(name)
  if (!validate) {
    validate = ajv.compile({ $ref: `basware#/$defs/${name}` })
    compiled.set(name, validate)
  }
  if (validate(value)) return []
  return (validate.errors ?? []).map((e) => ({
    externalCode: externalCode ?? null,
    type: 'VALIDATION',
    code: 'SCHEMA_VALIDATION_ERROR',
    message: `${e.instancePath || '/'} ${e.message ?? 'is invalid'}${
      e.keyword === 'additionalProperties' ? `: ${String(e.params.additionalProperty)}` : ''
    }`,
  }))
}
