/**
 * The request/answer pair the emulator's API handlers work on. Plain objects rather than fetch
 * Requests, so `$batch` can run its inner operations through the same handlers.
 */
import type { Principal } from '../auth/entra-emulator.ts'

/** One API operation. */
export interface ApiRequest {
  method: string
  url: URL
  headers: Headers
  body: unknown
  principal: Principal
  /** `{base}/v2.0/{tenant}/{env}/api/v2.0`, for contexts and next links. */
  apiBase: string
}

/** One API answer. */
export interface ApiResponse {
  status: number
  headers: Record<string, string>
  body?: unknown
}

const odataHeaders = {
  'content-type': 'application/json; odata.metadata=minimal; odata.streaming=true',
  'odata-version': '4.0',
}

/** A JSON answer with OData headers. */
export function jsonAnswer(status: number, body: unknown, headers: Record<string, string> = {}): ApiResponse {
  return { status, headers: { ...odataHeaders, ...headers }, body }
}

/** A 204 answer. */
export function noContent(): ApiResponse {
  return { status: 204, headers: { 'odata-version': '4.0' } }
}

/** Renders an ApiResponse as a fetch Response. */
export function toResponse(answer: ApiResponse): Response {
  const body =
    answer.body === undefined
      ? null
      : typeof answer.body === 'string'
        ? answer.body
        : JSON.stringify(answer.body)
  return new Response(body, { status: answer.status, headers: answer.headers })
}
