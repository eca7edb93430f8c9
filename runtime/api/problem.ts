import type { Context } from 'hono'

/** One precise complaint about the request, pointing into the body (JSON pointer) or at a query parameter. */
export interface ProblemDetailItem {
  pointer?: string
  parameter?: string
  detail: string
}

/** An RFC 9457 problem document as Ferry sends it. */
export interface ProblemDocument {
  type: string
  title: string
  status: number
  detail: string
  instance: string
  errors?: ProblemDetailItem[]
}

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  501: 'Not Implemented',
  502: 'Bad Gateway',
}

/**
 * A failure the API reports as problem+json. `type` is a short slug that becomes
 * `https://ferry.dev/problems/<slug>` so clients can branch on it without parsing text.
 */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly detail: string,
    readonly errors?: ProblemDetailItem[],
    readonly headers: Record<string, string> = {},
    /** Extension members (RFC 9457 §3.2), e.g. the full diagnostics of a rejected manifest. */
    readonly extensions: Record<string, unknown> = {},
  ) {
    super(detail)
  }
}

/** The 404 for an id the principal cannot see (whether it exists elsewhere is never revealed). */
export function notFound(resource: string, id: string): ApiProblem {
  return new ApiProblem(404, 'not-found', `${resource} ${id} not found`)
}

/** Renders a problem as an `application/problem+json` response. */
export function problemResponse(c: Context, problem: ApiProblem): Response {
  const body: ProblemDocument & Record<string, unknown> = {
    ...problem.extensions,
    type: `https://ferry.dev/problems/${problem.type}`,
    title: TITLES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    instance: new URL(c.req.url).pathname,
    ...(problem.errors && problem.errors.length > 0 ? { errors: problem.errors } : {}),
  }
  return new Response(JSON.stringify(body), {
    status: problem.status,
    headers: { 'content-type': 'application/problem+json', ...problem.headers },
  })
}
