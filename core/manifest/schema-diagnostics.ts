/**
 * Turns ajv's errors into one readable diagnostic per mistake: alternative forms (`oneOf`) are
 * narrowed to the form the author meant, unknown fields get a "did you mean", and every message
 * names the field and what it allows.
 */
import type { ErrorObject } from 'ajv'
import type { Diagnostic } from './diagnostic.ts'
import { expectedOneOf } from './did-you-mean.ts'
import { patternHint } from './manifest-patterns.ts'
import { diagnosticAt, escapePointer, type ManifestSource, pointerSegments } from './manifest-source.ts'

type Schema = Record<string, any>

/** Diagnostics for the errors of an ajv validator compiled with `allErrors` and `verbose`. */
export function schemaDiagnostics(source: ManifestSource, errors: readonly ErrorObject[]): Diagnostic[] {
  const narrowed = narrowAlternatives(source, [...errors])
  const extra = narrowed.extra
  const kept = groupRequired(narrowed.kept)
  // One mistake per field: `version: "1"` breaks both type and const, but one message says it.
  const seen = new Set<string>()
  return [...extra, ...kept.flatMap((e) => diagnose(source, e))].filter((d) => {
    if (seen.has(d.pointer)) return false
    seen.add(d.pointer)
    return true
  })
}

/** A human name for the field at a pointer: `target.operation`, `tests[0].name`. */
export function fieldLabel(pointer: string): string {
  const segments = pointerSegments(pointer)
  if (segments.length === 0) return 'manifest'
  return segments
    .map((s, i) =>
      typeof s === 'number' ? `[${s}]` : /^[A-Za-z_$][\w$-]*$/.test(s) ? (i ? `.${s}` : s) : `["${s}"]`,
    )
    .join('')
}

/** Folds the `required` errors of one object into the first, listing every missing field there. */
function groupRequired(errors: ErrorObject[]): ErrorObject[] {
  const first = new Map<string, ErrorObject & { missing: string[] }>()
  const out: ErrorObject[] = []
  for (const e of errors) {
    if (e.keyword !== 'required') {
      out.push(e)
      continue
    }
    const group = first.get(e.instancePath)
    if (group) group.missing.push(missingOf(e))
    else {
      const grouped = { ...e, missing: [missingOf(e)] }
      first.set(e.instancePath, grouped)
      out.push(grouped)
    }
  }
  return out
}

function narrowAlternatives(source: ManifestSource, errors: ErrorObject[]) {
  const extra: Diagnostic[] = []
  const unions = errors
    .filter((e) => e.keyword === 'oneOf' || e.keyword === 'anyOf')
    .sort((a, b) => a.schemaPath.length - b.schemaPath.length)
  let kept = errors
  for (const union of unions) {
    if (!kept.includes(union)) continue
    const branches = union.schema as Schema[]
    const inBranch = (i: number) =>
      kept.filter((e) => e !== union && e.schemaPath.startsWith(`${union.schemaPath}/${i}/`))
    const choice = chooseBranch(source, union, branches, inBranch)
    const dropped = new Set<ErrorObject>([union])
    branches.forEach((_, i) => {
      if (i !== choice.index) for (const e of inBranch(i)) dropped.add(e)
    })
    for (const e of choice.replaced ?? []) dropped.add(e)
    if (choice.diagnostic) extra.push(choice.diagnostic)
    kept = kept.filter((e) => !dropped.has(e))
  }
  return { kept, extra }
}

interface BranchChoice {
  index?: number
  diagnostic?: Diagnostic
  replaced?: ErrorObject[]
}

function chooseBranch(
  source: ManifestSource,
  union: ErrorObject,
  branches: Schema[],
  inBranch: (i: number) => ErrorObject[],
): BranchChoice {
  const pointer = union.instancePath
  const label = fieldLabel(pointer)
  const data = union.data
  const candidates = branches.map((_, i) => i).filter((i) => typeMatches(branches[i]!, data))
  if (candidates.length === 0) {
    const types = [...new Set(branches.map((b) => typeWord(String(b.type))))]
    return {
      diagnostic: diagnosticAt(source, pointer, 'value', {
        code: 'invalid-type',
        message: `${label} must be ${types.join(' or ')} (got ${describeValue(data)})`,
      }),
    }
  }
  if (candidates.length === 1) return { index: candidates[0] }
  const markers = new Map(candidates.map((i) => [i, markerKeys(branches, candidates, i)]))
  const keys = data !== null && typeof data === 'object' ? Object.keys(data) : []
  const claimed = candidates.filter((i) => keys.some((k) => markers.get(i)!.includes(k)))
  if (claimed.length >= 2) {
    const forms = claimed.map((i) => {
      const own = keys.filter((k) => markers.get(i)!.includes(k))
      return `${own.map((k) => `"${k}"`).join(', ')} (${branches[i]!.title ?? `form ${i + 1}`})`
    })
    return {
      diagnostic: diagnosticAt(source, pointer, 'key', {
        code: 'mixed-forms',
        message: `${label} mixes forms: ${forms.join(' with ')}; use only one`,
      }),
    }
  }
  if (claimed.length === 1) return { index: claimed[0] }
  // No key says which form was meant: keep the closest form and name what each form would need.
  const index = candidates.reduce((best, i) => (inBranch(i).length < inBranch(best).length ? i : best))
  const missingMarkers = inBranch(index).filter(
    (e) =>
      e.keyword === 'required' && e.instancePath === pointer && markers.get(index)!.includes(missingOf(e)),
  )
  const needs = candidates.map((i) => {
    const required = (branches[i]!.required ?? []) as string[]
    const marker = required.find((k) => markers.get(i)!.includes(k)) ?? markers.get(i)![0]
    return `"${marker}" (${branches[i]!.title ?? `form ${i + 1}`})`
  })
  // Only keys no form knows (a form keyed by its name, misspelt or invented): say that, once.
  const known = candidates.flatMap((i) => Object.keys(branches[i]!.properties ?? {}))
  const unknown = keys.find((k) => !known.includes(k))
  if (unknown !== undefined && keys.every((k) => !known.includes(k))) {
    const forms = [...new Set(candidates.flatMap((i) => markers.get(i)!))]
    return {
      index,
      replaced: inBranch(index).filter((e) => e.instancePath === pointer),
      diagnostic: diagnosticAt(source, `${pointer}/${escapePointer(unknown)}`, 'key', {
        code: 'unknown-field',
        message: `unknown field "${unknown}" in ${label}${expectedOneOf(unknown, forms)}`,
      }),
    }
  }
  return {
    index,
    replaced: missingMarkers,
    diagnostic: diagnosticAt(source, pointer, 'key', {
      code: 'missing-field',
      message: `${label} needs ${needs.slice(0, -1).join(', ')} or ${needs.at(-1)}`,
    }),
  }
}

function markerKeys(branches: Schema[], candidates: number[], index: number): string[] {
  const others = new Set(
    candidates.filter((i) => i !== index).flatMap((i) => Object.keys(branches[i]!.properties ?? {})),
  )
  return Object.keys(branches[index]!.properties ?? {}).filter((k) => !others.has(k))
}

function typeMatches(schema: Schema, data: unknown): boolean {
  if (schema.type === undefined) return true
  return jsonType(data) === schema.type || (schema.type === 'number' && jsonType(data) === 'integer')
}

function jsonType(data: unknown): string {
  if (data === null) return 'null'
  if (Array.isArray(data)) return 'array'
  if (Number.isInteger(data)) return 'integer'
  return typeof data === 'object' ? 'object' : typeof data
}

const typeWords: Record<string, string> = {
  string: 'a string',
  object: 'an object',
  array: 'a list',
  integer: 'an integer',
  number: 'a number',
  boolean: 'true or false',
  null: 'nothing',
}

function typeWord(type: string): string {
  return typeWords[type] ?? type
}

function describeValue(data: unknown): string {
  if (data === null || data === undefined) return 'nothing'
  if (typeof data === 'string') return JSON.stringify(data)
  if (typeof data === 'number' || typeof data === 'boolean') return String(data)
  return typeWord(jsonType(data))
}

function missingOf(e: ErrorObject): string {
  return String((e.params as { missingProperty?: string }).missingProperty)
}

function diagnose(source: ManifestSource, e: ErrorObject): Diagnostic[] {
  const pointer = e.instancePath
  const label = fieldLabel(pointer)
  const params = e.params as Record<string, any>
  const at = (p: string, where: 'key' | 'value', code: string, message: string) => [
    diagnosticAt(source, p, where, { code, message }),
  ]
  switch (e.keyword) {
    case 'required': {
      const missing = (e as ErrorObject & { missing?: string[] }).missing ?? [missingOf(e)]
      const fields = `field${missing.length > 1 ? 's' : ''} ${missing.map((m) => `"${m}"`).join(', ')}`
      const message = pointer === '' ? `missing required ${fields}` : `${label} is missing required ${fields}`
      return at(`${pointer}/${escapePointer(missing[0]!)}`, 'key', 'missing-field', message)
    }
    case 'additionalProperties': {
      const name = String(params.additionalProperty)
      const allowed = Object.keys((e.parentSchema as Schema).properties ?? {})
      const where =
        pointer === '' ? `unknown top-level field "${name}"` : `unknown field "${name}" in ${label}`
      return at(
        `${pointer}/${escapePointer(name)}`,
        'key',
        'unknown-field',
        `${where}${expectedOneOf(name, allowed)}`,
      )
    }
    case 'propertyNames': {
      const name = String(params.propertyName)
      const hint = patternHint(String((e.schema as Schema).pattern ?? '')) ?? 'a valid name'
      return at(
        `${pointer}/${escapePointer(name)}`,
        'key',
        'invalid-name',
        `${label} key "${name}" must be ${hint}`,
      )
    }
    case 'pattern': {
      if (e.propertyName !== undefined) return []
      const hint = patternHint(String(params.pattern)) ?? `match ${params.pattern}`
      return at(pointer, 'value', 'invalid-value', `${label} must be ${hint} (got ${describeValue(e.data)})`)
    }
    case 'type':
      return at(
        pointer,
        'value',
        'invalid-type',
        `${label} must be ${typeWord(String(params.type))} (got ${describeValue(e.data)})`,
      )
    case 'const':
      if (pointer === '/version') {
        return at(
          pointer,
          'value',
          'unsupported-version',
          `version must be 1 (got ${describeValue(e.data)}): this Ferry reads manifest format 1`,
        )
      }
      return at(pointer, 'value', 'invalid-value', `${label} must be ${JSON.stringify(params.allowedValue)}`)
    case 'enum': {
      const allowed = (params.allowedValues as unknown[]).map(String)
      return at(
        pointer,
        'value',
        'invalid-value',
        `invalid ${label} ${describeValue(e.data)}${expectedOneOf(String(e.data), allowed)}`,
      )
    }
    case 'minLength':
      return at(pointer, 'value', 'invalid-value', `${label} must not be empty`)
    case 'maxLength':
      return at(
        pointer,
        'value',
        'invalid-value',
        `${label} must be at most ${params.limit} characters (got ${String(e.data).length})`,
      )
    case 'minimum':
    case 'maximum':
      return at(
        pointer,
        'value',
        'invalid-value',
        `${label} must be at ${e.keyword === 'minimum' ? 'least' : 'most'} ${params.limit} (got ${describeValue(e.data)})`,
      )
    case 'minProperties': {
      const fields = Object.keys((e.parentSchema as Schema).properties ?? {})
      const message = fields.length
        ? `${label} must set at least one of ${fields.join(', ')}`
        : `${label} must not be empty`
      return at(pointer, 'key', 'missing-field', message)
    }
    case 'minItems':
      return at(pointer, 'key', 'invalid-value', `${label} must list at least ${params.limit}`)
    case 'uniqueItems': {
      const later = Math.max(params.i, params.j)
      const message = `${label} lists ${describeValue((e.data as unknown[])[later])} twice`
      return at(`${pointer}/${later}`, 'value', 'duplicate-item', message)
    }
    default:
      return at(pointer, 'value', 'invalid-value', `${label} ${e.message ?? 'is invalid'}`)
  }
}
