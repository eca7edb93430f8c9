/**
 * Checks the syntax of every JSONata expression in a flow manifest and reports errors at their line
 * and column in the file they were written in (the manifest, or the map's .jsonata file).
 */
import { isScalar } from 'yaml'
import type { Diagnostic } from './diagnostic.ts'
import { expectedOneOf } from './did-you-mean.ts'
import { type ExpressionOrigin, locateInExpression, scalarOrigin } from './expression-origin.ts'
import { jsonataProblem } from './jsonata-problem.ts'
import { entriesAt, objectOf } from './manifest-data.ts'
import { escapePointer, type ManifestSource, nodeAt } from './manifest-source.ts'
import { fieldLabel } from './schema-diagnostics.ts'

/** A JSONata expression of the manifest with where it came from. */
export interface LocatedExpression {
  pointer: string
  source: string
  origin: ExpressionOrigin
}

/** Pointers of the fields that hold JSONata, except `map` (which may be a file). */
export function expressionPointers(data: unknown): string[] {
  const root = objectOf(data)
  if (!root) return []
  const pointers = ['/identity/key', '/identity/version', '/order', '/when', '/acknowledge/map']
  for (const [field] of entriesAt(root.target, 'match'))
    pointers.push(`/target/match/${escapePointer(field)}`)
  for (const [name, lookup] of entriesAt(root, 'lookups')) {
    if (objectOf(lookup)?.connection !== undefined) {
      pointers.push(`/lookups/${escapePointer(name)}/key`, `/lookups/${escapePointer(name)}/value`)
    }
    if (objectOf(objectOf(lookup)?.createMissing)) {
      const at = `/lookups/${escapePointer(name)}/createMissing`
      pointers.push(`${at}/key`, `${at}/value`)
    }
  }
  return pointers
}

/** The expression written at `pointer` in the manifest, with its origin; undefined if not a string. */
export function expressionAt(source: ManifestSource, pointer: string): LocatedExpression | undefined {
  const node = nodeAt(source, pointer)
  if (!isScalar(node) || typeof node.value !== 'string') return undefined
  return {
    pointer,
    source: node.value,
    origin: scalarOrigin(source.file, source.text, source.lineCounter, node),
  }
}

/**
 * Syntax errors, unknown `$lookupTable` names and the old spelling `$lookup('table', key)` of one
 * expression. `$lookup` is JSONata's built-in object lookup, which Ferry's table lookup shadowed until it
 * was renamed; called with a table name it would quietly answer nothing, so it is an error here.
 */
export function checkExpression(
  expression: LocatedExpression,
  lookupNames: readonly string[] | undefined,
): Diagnostic[] {
  const at = (offset: number, code: string, message: string): Diagnostic => ({
    file: expression.origin.file,
    ...locateInExpression(expression.origin, offset),
    severity: 'error',
    code,
    message,
    pointer: expression.pointer,
  })
  const problem = jsonataProblem(expression.source)
  if (problem)
    return [
      at(
        problem.offset,
        'jsonata-syntax',
        `${fieldLabel(expression.pointer)} is not valid JSONata: ${problem.message}`,
      ),
    ]
  const out: Diagnostic[] = []
  for (const call of expression.source.matchAll(/\$lookup\(\s*(['"])([^'"]*)\1/g)) {
    out.push(
      at(
        call.index,
        'renamed-lookup',
        `$lookup(${call[1]}${call[2]}${call[1]}, …) reads a table by its old name: Ferry's table lookup is ` +
          `$lookupTable(${call[1]}${call[2]}${call[1]}, …); $lookup is JSONata's $lookup(object, key)`,
      ),
    )
  }
  if (lookupNames === undefined) return out
  for (const call of expression.source.matchAll(/\$lookupTable\(\s*(['"])([^'"]*)\1/g)) {
    const name = call[2]!
    if (!lookupNames.includes(name)) {
      const offset = call.index + call[0].length - name.length - 1
      out.push(
        at(
          offset,
          'unknown-lookup',
          `$lookupTable of "${name}", which is not in lookups${expectedOneOf(name, lookupNames, 'declared lookups:')}`,
        ),
      )
    }
  }
  return out
}
