/**
 * Compiles the JSONata expressions of a connector manifest once, when the connector is built. A plain
 * dotted path (`data.items`, `config.baseUrl`) is read directly: most expressions in a manifest are
 * such paths and run on every request.
 */
import { ConnectorError, type ConnectorErrorKind } from '../../core/connector/connector-error.ts'
import { compileMapping } from '../../core/mapping/compile-mapping.ts'

/** Evaluates an expression over `input`; `vars` are visible as `$name` (e.g. `$headers`). */
export type Evaluate = (input: unknown, vars?: Record<string, unknown>) => Promise<unknown>

const PATH = /^[A-Za-z_][\w]*(\.[A-Za-z_][\w]*)*$/
const MISSING = Symbol('missing')

/**
 * The compiled expression. Failures become ConnectorErrors of `kind` (default `config`: the manifest
 * asked for something the data does not support), named after `where`.
 */
export function compileExpression(
  source: string,
  where: string,
  kind: ConnectorErrorKind = 'config',
): Evaluate {
  const compiled = compileMapping(source, { name: where })
  const full: Evaluate = async (input, vars) => {
    try {
      return await compiled.evaluate(input, { vars })
    } catch (error) {
      throw new ConnectorError(kind, `${where}: ${error instanceof Error ? error.message : String(error)}`, {
        cause: error,
      })
    }
  }
  if (source === '$') return async (input) => input
  if (!PATH.test(source)) return full
  const segments = source.split('.')
  return async (input, vars) => {
    const value = walk(input, segments)
    // JSONata maps a path over arrays; leave those (rare here) to JSONata itself.
    return value === MISSING ? full(input, vars) : value
  }
}

function walk(input: unknown, segments: readonly string[]): unknown {
  let value = input
  for (const segment of segments) {
    if (value === undefined || value === null) return undefined
    if (typeof value !== 'object' || Array.isArray(value)) return MISSING
    value = (value as Record<string, unknown>)[segment]
  }
  return Array.isArray(value) ? MISSING : value
}

/** True for a value an expression "yields nothing" with. */
export function isNothing(value: unknown): value is null | undefined {
  return value === undefined || value === null
}
