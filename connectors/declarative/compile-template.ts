/**
 * Templates of a connector manifest: literal text with `{{ JSONata }}` parts, compiled once. A
 * template that is one part only yields that part's raw value (a number, an object); otherwise the
 * parts are joined as text.
 */
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { parseTemplate } from '../../core/manifest/template-parts.ts'
import { compileExpression, type Evaluate, isNothing } from './compile-expression.ts'

/** A compiled template. */
export interface CompiledTemplate {
  readonly source: string
  /** The raw value of a one-part template, or the joined text (`undefined` when a lone part yields nothing). */
  value(context: unknown, vars?: Record<string, unknown>): Promise<unknown>
  /**
   * The text, each part's value passed through `encode` (URL-encoding in paths). A part that yields
   * nothing is an error naming the template: a path or credential with a hole in it is never sent.
   */
  text(context: unknown, encode?: (part: string) => string): Promise<string>
}

/** Compiles `source` (checked by the manifest parser beforehand). */
export function compileTemplate(source: string, where: string): CompiledTemplate {
  const parsed = parseTemplate(source)
  if ('problem' in parsed) throw new ConnectorError('config', `${where}: ${parsed.problem.message}`)
  const parts: (string | { expression: string; evaluate: Evaluate })[] = parsed.parts.map((p) =>
    'literal' in p
      ? p.literal
      : { expression: p.expression, evaluate: compileExpression(p.expression, where) },
  )
  const lone = parts.length === 1 && typeof parts[0] !== 'string' ? parts[0] : undefined
  const text = async (
    context: unknown,
    encode: (part: string) => string = (s) => s,
    vars?: Record<string, unknown>,
  ) => {
    let out = ''
    for (const part of parts) {
      if (typeof part === 'string') {
        out += part
        continue
      }
      const value = await part.evaluate(context, vars)
      if (isNothing(value))
        throw new ConnectorError('config', `${where}: {{ ${part.expression} }} yields nothing here`)
      out += encode(typeof value === 'object' ? JSON.stringify(value) : String(value))
    }
    return out
  }
  return {
    source,
    async value(context, vars) {
      if (lone) {
        const value = await lone.evaluate(context, vars)
        return isNothing(value) ? undefined : value
      }
      return text(context, undefined, vars)
    },
    text: (context, encode) => text(context, encode),
  }
}
