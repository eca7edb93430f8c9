/**
 * The one place MISA's envelope `{Success, ErrorCode, ErrorMessage, Data, CustomData}` is unwrapped:
 * keys are matched case-insensitively, `Data` and `CustomData` are parsed a second time when they are
 * JSON strings, and `Success:false` (at any HTTP status) becomes a ConnectorError with MISA's code.
 */
import { httpError, misaError } from './errors.ts'

/** An unwrapped successful answer. */
export interface MisaAnswer {
  /** `Data`, parsed when it held JSON (acknowledgements stay plain strings). */
  data: unknown
  customData: Record<string, unknown>
}

function field(body: Record<string, unknown>, name: string): unknown {
  const key = Object.keys(body).find((k) => k.toLowerCase() === name.toLowerCase())
  return key === undefined ? undefined : body[key]
}

function parseMaybe(value: unknown): unknown {
  if (typeof value !== 'string') return value
  const text = value.trim()
  if (!text.startsWith('{') && !text.startsWith('[')) return value
  try {
    return JSON.parse(text)
  } catch {
    return value
  }
}

/** Unwraps an HTTP answer from function `fn`; throws a ConnectorError for every failure. */
export function unwrapEnvelope(
  status: number,
  text: string,
  fn: string,
  secrets: readonly string[],
): MisaAnswer {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    throw httpError(status >= 200 && status < 300 ? 502 : status, fn)
  }
  const success =
    body && typeof body === 'object' ? field(body as Record<string, unknown>, 'Success') : undefined
  if (typeof success !== 'boolean') throw httpError(status >= 200 && status < 300 ? 502 : status, fn)
  const env = body as Record<string, unknown>
  if (!success) {
    throw misaError(
      (field(env, 'ErrorCode') as string | null) ?? null,
      String(field(env, 'ErrorMessage') ?? ''),
      secrets,
      status,
    )
  }
  if (status < 200 || status >= 300) throw httpError(status, fn)
  const custom = parseMaybe(field(env, 'CustomData'))
  return {
    data: parseMaybe(field(env, 'Data')),
    customData: custom && typeof custom === 'object' ? (custom as Record<string, unknown>) : {},
  }
}

/** The records of a list answer: a plain array, or `{PageData: [...]}` as some tenants send. */
export function listOf(data: unknown): Record<string, unknown>[] {
  if (Array.isArray(data)) return data as Record<string, unknown>[]
  if (data && typeof data === 'object') {
    const page = field(data as Record<string, unknown>, 'PageData')
    if (Array.isArray(page)) return page as Record<string, unknown>[]
  }
  if (data === null || data === undefined || data === '') return []
  throw misaError('UnexpectedData', 'MISA returned data that is not a list', [])
}
