/** Record selection: what a response body (or a webhook payload) holds as records. */
import type { Evaluate } from './compile-expression.ts'

/** The records an expression (default: the whole body) selects: a list as is, one object as one record. */
export async function selectRecords(
  body: unknown,
  selector: Evaluate | undefined,
  vars?: Record<string, unknown>,
): Promise<Record<string, unknown>[]> {
  const selected = selector ? await selector(body ?? {}, vars) : body
  const list = Array.isArray(selected)
    ? selected
    : selected === undefined || selected === null
      ? []
      : [selected]
  return list.filter(
    (r): r is Record<string, unknown> => r !== null && typeof r === 'object' && !Array.isArray(r),
  )
}
