import type { ValidateFunction } from 'ajv/dist/2020.js'
import type { Connector } from '../../core/connector/connector.ts'
import { endpointFields, urlFields } from '../../core/connector/endpoint-fields.ts'
import { expectedOneOf } from '../../core/manifest/did-you-mean.ts'
import type { EgressPolicy } from '../egress/egress-policy.ts'
import { urlRefusal } from '../egress/egress-refusal.ts'
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

/**
 * Checks a full config against the connector's configSchema and its endpoint URLs against the egress
 * policy (a `file:` or metadata URL is refused when it is saved, not when it is first called);
 * problems point into the body's `config`.
 */
export function validateConnectionConfig(
  connector: Connector,
  config: Record<string, unknown>,
  egress: EgressPolicy,
): void {
  let validate = compiled.get(connector.configSchema)
  if (!validate) {
    validate = ajv.compile(connector.configSchema)
    compiled.set(connector.configSchema, validate)
  }
  // Validate a copy: the schema may fill defaults, and the caller stores exactly what was sent.
  if (!validate(structuredClone(config))) {
    const errors = pointerErrors(validate.errors ?? []).map((e) => ({
      ...e,
      pointer: `/config${e.pointer}`,
    }))
    throw new ApiProblem(
      422,
      'invalid-config',
      `the config does not satisfy the ${connector.title} connector`,
      errors,
    )
  }
  const refused = egressProblems(connector, config, egress)
  if (refused.length)
    throw new ApiProblem(
      422,
      'egress-refused',
      'the config names an address Ferry may not send requests to',
      refused,
    )
}

function egressProblems(connector: Connector, config: Record<string, unknown>, egress: EgressPolicy) {
  const endpoints = new Set(endpointFields(connector.configSchema))
  const problems: { pointer: string; detail: string }[] = []
  for (const field of new Set([...urlFields(connector.configSchema), ...endpoints])) {
    const value = config[field]
    if (typeof value !== 'string' || !URL.canParse(value)) continue
    const { protocol } = new URL(value)
    const refusal = endpoints.has(field)
      ? urlRefusal(egress, value)
      : protocol === 'https:' || protocol === 'http:'
        ? undefined
        : `the scheme ${protocol} is not allowed (only https)`
    if (refusal) problems.push({ pointer: `/config/${field}`, detail: refusal })
  }
  return problems
}
