/**
 * Basware's synchronous error body (`ResponseEntityList`), which every P2P API error uses.
 */
import { randomUUID } from 'node:crypto'

/** One error of a ResponseEntityList, as the OpenAPI `ErrorEntity` defines it. */
export interface ErrorEntity {
  externalCode?: string | null
  type: 'BUSINESS' | 'VALIDATION' | 'TECHNICAL' | 'SECURITY'
  code: string
  message: string
  info?: string | null
}

/** Builds the JSON error response Basware sends, with its request id in `x-amzn-RequestId`. */
export function errorResponse(
  status: number,
  errors: ErrorEntity[],
  requestId: string = randomUUID(),
): Response {
  const body = {
    requestId,
    hasErrors: true,
    errors: errors.map((e) => ({ externalCode: null, info: null, ...e })),
  }
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'x-amzn-RequestId': requestId },
  })
}

/** A JSON success response carrying the write's request id. */
export function jsonResponse(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  })
}
