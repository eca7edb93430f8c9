/** One difference between an expected and an actual JSON value, at a JSONPath-like location. */
export interface JsonDifference {
  path: string
  expected?: unknown
  actual?: unknown
  /** `changed`: both present but different; `missing`: expected but absent; `unexpected`: present but not expected. */
  kind: 'changed' | 'missing' | 'unexpected'
}

const IDENTIFIER = /^[A-Za-z_$][\w$]*$/

function child(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`
  return IDENTIFIER.test(key) ? `${path}.${key}` : `${path}[${JSON.stringify(key)}]`
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value)

/** Lists every difference between two JSON values, in document order (expected keys first). */
export function diffJson(expected: unknown, actual: unknown, path = '$'): JsonDifference[] {
  if (Object.is(expected, actual)) return []
  if (Array.isArray(expected) && Array.isArray(actual)) {
    const out: JsonDifference[] = []
    const length = Math.max(expected.length, actual.length)
    for (let i = 0; i < length; i++) {
      if (i >= actual.length) out.push({ path: child(path, i), expected: expected[i], kind: 'missing' })
      else if (i >= expected.length) out.push({ path: child(path, i), actual: actual[i], kind: 'unexpected' })
      else out.push(...diffJson(expected[i], actual[i], child(path, i)))
    }
    return out
  }
  if (isObject(expected) && isObject(actual)) {
    const out: JsonDifference[] = []
    for (const key of Object.keys(expected)) {
      if (!(key in actual)) out.push({ path: child(path, key), expected: expected[key], kind: 'missing' })
      else out.push(...diffJson(expected[key], actual[key], child(path, key)))
    }
    for (const key of Object.keys(actual)) {
      if (!(key in expected)) out.push({ path: child(path, key), actual: actual[key], kind: 'unexpected' })
    }
    return out
  }
  return [{ path, expected, actual, kind: 'changed' }]
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'undefined'
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

/** Renders a difference as one readable line, e.g. `$.lines[0].unitCost: expected 182.4, got 182.39`. */
export function describeDifference(difference: JsonDifference): string {
  switch (difference.kind) {
    case 'missing':
      return `${difference.path}: expected ${show(difference.expected)}, but it is missing`
    case 'unexpected':
      return `${difference.path}: not expected, got ${show(difference.actual)}`
    default:
      return `${difference.path}: expected ${show(difference.expected)}, got ${show(difference.actual)}`
  }
}
