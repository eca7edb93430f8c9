/**
 * BC's error answers: `{"error":{"code","message"}}` where the message ends with two spaces and
 * `CorrelationId:  <guid>.`, as the service writes it. Sandbox code throws {@link BcHttpError}; the
 * router turns it into the answer.
 */
import { randomUUID } from 'node:crypto'

/** A BC error to answer with. */
export class BcHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message)
  }
}

/** Shorthand for the most common business-logic rejection (AL `Error()`). */
export function dialog(message: string): BcHttpError {
  return new BcHttpError(400, 'Application_DialogException', message)
}

/** The JSON body BC sends for an error. */
export function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message: `${message}  CorrelationId:  ${randomUUID()}.` } }
}

/** The HTTP answer for a BcHttpError. */
export function errorResponse(error: BcHttpError): Response {
  return new Response(JSON.stringify(errorBody(error.code, error.message)), {
    status: error.status,
    headers: { 'content-type': 'application/json; odata.metadata=minimal', ...error.headers },
  })
}
