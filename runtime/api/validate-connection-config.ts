import type { ValidateFunction } from 'ajv/dist/2020.js'
import type { Connector } from '../../core/connector/connector.ts'
import { expectedOneOf } from '../../core/manifest/did-you-mean.ts'
import { createApiAjv, pointerErrors } from './api-schemas.ts'
import { ApiProblem } from './problem.ts'

const ajv = createApiAjv()
const compiled = new WeakMap<object, ValidateFunction>()

/** The connector of that id, or a 422 pointing at `pointer` with the ids this build knows. */
export function connectorOr422(registry: Record<string, Connector>, id: string, pointer: string): Connector {
  const connector = registry[id]
  if (connector) return connector
  const known = Object.keys(registry)
  throw new ApiProblem(422, 'invalid-body', `unknown connector "${id}"`, [
    { pointer, detail: `unknown connector "${id}"${expectedOneOf(id, known)}` },
  ])
}

/** Checks a full config against the connector's configSchema; problems point into the body's `config`. */
export function validateConnectionConfig(connector: Connector, config: Record<string, unknown>): void {
  let validate = compiled.get(connector.configSchema)
  if (!validate) {
    validate = ajv.compile(connector.configSchema)
    compiled.set(connector.configSchema, validate)
  }
  // Validate a copy: the schema may fill defaults, and the caller stores exactly what was sent.
  if (validate(structuredClone(config))) return
  const errors = pointerErrors(validate.errors ?? []).map((e) => ({ ...e, pointer: `/config${e.pointer}` }))
  throw new ApiProblem(
    422,
    'invalid-config',
    `the config does not satisfy the ${connector.title} connector`,
    errors,
  )
}
