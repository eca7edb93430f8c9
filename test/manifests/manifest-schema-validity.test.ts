/**
 * The manifest validator skips ajv's meta-schema check (it costs ~80 ms of every `ferry validate`),
 * so the schemas it compiles are checked against JSON Schema 2020-12 here instead.
 */
import { Ajv2020 } from 'ajv/dist/2020.js'
import { describe, expect, it } from 'vitest'
import { connectorJsonSchema } from '../../core/manifest/connector-schema.ts'
import { flowJsonSchema } from '../../core/manifest/flow-schema.ts'
import { recipeJsonSchema } from '../../core/manifest/recipe-schema.ts'

const metaCheck = (schema: object) => {
  const ajv = new Ajv2020({ strictTypes: false })
  const valid = ajv.validateSchema(schema)
  return { valid, errors: ajv.errorsText(ajv.errors) }
}

describe('manifest schemas', () => {
  it.each([
    ['connector', connectorJsonSchema],
    ['flow', flowJsonSchema],
    ['recipe', recipeJsonSchema],
  ])('the %s schema is valid JSON Schema 2020-12', (_, schema) => {
    expect(metaCheck(schema)).toEqual({ valid: true, errors: 'No errors' })
  })

  it('the check notices a broken schema', () => {
    const broken = { ...flowJsonSchema, properties: { ...flowJsonSchema.properties, id: { type: 'strng' } } }
    expect(metaCheck(broken).valid).toBe(false)
  })
})
