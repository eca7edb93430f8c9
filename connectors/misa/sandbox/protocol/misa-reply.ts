/** MISA's response envelope, built in one place: `Data` is always a JSON *string* (or null). */
import type { Context } from 'hono'

/** The envelope every ACT Open API function answers with. */
export interface MisaEnvelope {
  Success: boolean
  ErrorCode: string | null
  ErrorMessage: string
  Data: string | null
  CustomData?: string | null
}

/** A success envelope; objects and arrays are stringified into `Data`, strings are passed as they are. */
export function misaOk(c: Context, data: unknown, customData?: unknown): Response {
  const body: MisaEnvelope = {
    Success: true,
    ErrorCode: null,
    ErrorMessage: '',
    Data: data === null || data === undefined ? null : typeof data === 'string' ? data : JSON.stringify(data),
  }
  if (customData !== undefined) body.CustomData = JSON.stringify(customData)
  return c.json(body, 200)
}

/** A business error: HTTP 200 (unless told otherwise) with `Success:false`. */
export function misaFail(c: Context, code: string, message: string, status: 200 | 401 | 500 = 200): Response {
  const body: MisaEnvelope = { Success: false, ErrorCode: code, ErrorMessage: message, Data: null }
  return c.json(body, status)
}
