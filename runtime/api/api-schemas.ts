import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js'
import type { JsonSchema } from '../../core/connector/connector.ts'
import { pointerToken } from './input-problems.ts'
import type { ProblemDetailItem } from './problem.ts'
import { requestSchemas } from './request-schemas.ts'
import { responseSchemas } from './response-schemas.ts'

/** Every component schema of the API (requests and responses), as published in /openapi.json. */
export const apiSchemas: Record<string, JsonSchema> = { ...requestSchemas, ...responseSchemas }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** True for a canonical UUID (every Ferry id); anything else cannot name a row. */
export function isUuid(text: string): boolean {
  return UUID.test(text)
}

const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(\.\d{1,9})?(Z|[+-]([01]\d|2[0-3]):[0-5]\d)$/

/**
 * True for an RFC 3339 date-time on a day that exists, year 0001 to 9999 (`Date.parse` alone takes
 * "1", 30 February and hour 24, which PostgreSQL then refuses or reads as another instant).
 */
export function isDateTime(text: string): boolean {
  const m = DATE_TIME.exec(text)
  if (!m) return false
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
  if (year < 1 || month < 1 || month > 12 || day < 1) return false
  // Month lengths of a leap year (2000); 29 February is checked against the real year below.
  const daysInMonth = new Date(Date.UTC(2000, month, 0)).getUTCDate()
  if (day > daysInMonth) return false
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  return !(month === 2 && day === 29 && !leap)
}

/** Creates the ajv instance the API validates with, knowing the formats its schemas use. */
export function createApiAjv(options: { coerceTypes?: boolean } = {}): Ajv2020 {
  const ajv = new Ajv2020({ allErrors: true, strict: false, coerceTypes: options.coerceTypes ?? false })
  ajv.addFormat('uuid', UUID)
  ajv.addFormat('date-time', { type: 'string', validate: isDateTime })
  ajv.addFormat('uri', { type: 'string', validate: (s: string) => URL.canParse(s) })
  return ajv
}

const bodyAjv = createApiAjv()
const compiled = new Map<string, ValidateFunction>()

/** The compiled validator of a request body component. */
export function bodyValidator(name: string): ValidateFunction {
  let validate = compiled.get(name)
  if (!validate) {
    const schema = requestSchemas[name]
    if (!schema) throw new Error(`no request schema named ${name}`)
    validate = bodyAjv.compile(schema)
    compiled.set(name, validate)
  }
  return validate
}

/** Turns ajv errors into problem items, each pointing at the offending member of the body. */
export function pointerErrors(errors: readonly ErrorObject[]): ProblemDetailItem[] {
  const items = errors
    // A oneOf failure repeats what its branches already said in detail.
    .filter((e) => e.keyword !== 'oneOf' || errors.length === 1)
    .map((e) => {
      const p = e.params as {
        missingProperty?: string
        additionalProperty?: string
        allowedValues?: unknown[]
      }
      const member = p.missingProperty ?? p.additionalProperty
      const pointer = member === undefined ? e.instancePath : `${e.instancePath}/${pointerToken(member)}`
      const detail =
        e.keyword === 'additionalProperties'
          ? `unknown property "${member}"`
          : e.keyword === 'enum'
            ? `must be one of ${(p.allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`
            : (e.message ?? 'is invalid')
      return { pointer, detail }
    })
  const seen = new Set<string>()
  return items.filter((i) => {
    const key = `${i.pointer} ${i.detail}`
    if (seen.has(key)) return false
    seen.add(key)
    return true
  })
}
