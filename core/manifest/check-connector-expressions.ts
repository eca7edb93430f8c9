/**
 * Checks every expression of a connector manifest: JSONata syntax (inside templates too, at the line
 * and column of the offending character), the names a template may use where it stands, and that
 * each `config.<field>` it reads is declared.
 */
import { isScalar } from 'yaml'
import type { Diagnostic } from './diagnostic.ts'
import { expectedOneOf } from './did-you-mean.ts'
import type { ExpressionField } from './expression-fields.ts'
import { locateInExpression, scalarOrigin } from './expression-origin.ts'
import { jsonataProblem } from './jsonata-problem.ts'
import { type ManifestSource, nodeAt, pointerSegments } from './manifest-source.ts'
import { fieldLabel } from './schema-diagnostics.ts'
import { parseTemplate } from './template-parts.ts'

/** What a template may read where it stands (the request context of that place). */
export function templateNames(pointer: string): readonly string[] {
  const s = pointerSegments(pointer)
  if (s[0] === 'webhooks') return s[2] === 'signed' ? ['config', 'body', 'headers'] : ['config']
  if (s[0] !== 'streams') return ['config']
  const section = s[2]
  if (section === 'read')
    return s[3] === 'byIds' ? ['config', 'query', 'id'] : ['config', 'query', 'window', 'since']
  if (section === 'find') return ['config', 'match']
  if (section === 'write') return ['config', 'record', 'existing', 'idempotencyKey']
  if (section === 'actions') return ['config', 'id', 'etag', 'record']
  return ['config']
}

/** Fields evaluated over Ferry's request context (the rest read remote bodies or payloads). */
function readsContext(field: ExpressionField): boolean {
  return field.kind === 'template' || /\/body$/.test(field.pointer)
}

/** Diagnostics for the expressions of a connector manifest; `configFields` are the declared names. */
export function checkConnectorExpressions(
  source: ManifestSource,
  fields: readonly ExpressionField[],
  configFields: readonly string[] | undefined,
): Diagnostic[] {
  const out: Diagnostic[] = []
  for (const field of fields) {
    const node = nodeAt(source, field.pointer)
    if (!isScalar(node)) continue
    const origin = scalarOrigin(source.file, source.text, source.lineCounter, node)
    const at = (offset: number, code: string, message: string): Diagnostic => ({
      file: source.file,
      ...locateInExpression(origin, offset),
      severity: 'error',
      code,
      message,
      pointer: field.pointer,
    })
    const label = fieldLabel(field.pointer)
    const expressions: { text: string; offset: number }[] = []
    if (field.kind === 'template') {
      const parsed = parseTemplate(field.source)
      if ('problem' in parsed) {
        out.push(
          at(
            parsed.problem.offset,
            'template-syntax',
            `${label} is not a valid template: ${parsed.problem.message}`,
          ),
        )
        continue
      }
      for (const part of parsed.parts)
        if ('expression' in part) expressions.push({ text: part.expression, offset: part.offset })
    } else {
      expressions.push({ text: field.source, offset: 0 })
    }
    for (const { text, offset } of expressions) {
      const problem = jsonataProblem(text)
      if (problem) {
        out.push(
          at(offset + problem.offset, 'jsonata-syntax', `${label} is not valid JSONata: ${problem.message}`),
        )
        continue
      }
      if (!readsContext(field)) continue
      const names = templateNames(field.pointer)
      const root = /^[A-Za-z_]\w*/.exec(text)?.[0]
      if (
        field.kind === 'template' &&
        root &&
        !names.includes(root) &&
        !/^\s*\(/.test(text.slice(root.length))
      ) {
        out.push(
          at(
            offset,
            'unknown-name',
            `${label} reads "${root}", which is not available here${expectedOneOf(root, names, 'available:')}`,
          ),
        )
        continue
      }
      if (configFields === undefined) continue
      for (const ref of text.matchAll(/(?<![\w.$])config\.([A-Za-z_][\w-]*)/g)) {
        const name = ref[1]!
        if (configFields.includes(name)) continue
        out.push(
          at(
            offset + ref.index + 'config.'.length,
            'unknown-config',
            `${label} reads config.${name}, which is not declared in config${expectedOneOf(name, configFields, 'declared:')}`,
          ),
        )
      }
    }
  }
  return out
}
