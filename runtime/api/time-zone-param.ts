import type { QueryParam } from './api-route.ts'
import { ApiProblem } from './problem.ts'

/** The `timezone` query parameter: an IANA zone name (default UTC). */
export const timeZoneParam: QueryParam = {
  description: 'IANA time zone the days are counted in (default UTC), e.g. Asia/Ho_Chi_Minh',
  schema: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_+\\-/]+$' },
}

/** The zone named by `value`, or 422 naming the parameter when no such zone exists. */
export function readTimeZone(value: unknown): string {
  if (value === undefined) return 'UTC'
  const zone = String(value)
  try {
    return new Intl.DateTimeFormat('en', { timeZone: zone }).resolvedOptions().timeZone
  } catch {
    throw new ApiProblem(422, 'invalid-parameter', `unknown time zone ${JSON.stringify(zone)}`, [
      { parameter: 'timezone', detail: 'must be an IANA time zone such as Asia/Ho_Chi_Minh' },
    ])
  }
}
