import { redactSecrets } from '../../core/connector/connector-error.ts'

interface Problem {
  title?: string
  detail?: string
  errors?: { pointer?: string; parameter?: string; detail?: string }[]
}

/**
 * One line for an API error response: `404 Not Found: record … not found (/ids/0: …)` from a
 * problem+json body, else the status and the start of the body. The key is redacted in case a proxy
 * echoes the request.
 */
export function problemLine(status: number, body: unknown, text: string, apiKey: string): string {
  const problem = (body && typeof body === 'object' ? body : {}) as Problem
  const head = `API ${status}${problem.title ? ` ${problem.title}` : ''}`
  const detail = problem.detail ?? text.replace(/\s+/g, ' ').trim().slice(0, 200)
  const places = (problem.errors ?? [])
    .slice(0, 3)
    .map((e) => {
      const where = e.pointer ?? (e.parameter ? `?${e.parameter}` : undefined)
      return where ? `${where}: ${e.detail ?? ''}` : (e.detail ?? '')
    })
    .filter((p) => p && p !== detail)
  const more = (problem.errors?.length ?? 0) > 3 ? `; +${problem.errors!.length - 3} more` : ''
  const line = `${head}${detail ? `: ${detail}` : ''}${places.length ? ` (${places.join('; ')}${more})` : ''}`
  return redactSecrets(line, [apiKey])
}
