/**
 * Safe reads from a manifest's plain data before (or despite) schema validation, so semantic checks
 * can run on every part that is well-formed while other parts have errors.
 */

/** The object at `value`, or undefined when it is not a plain object. */
export function objectOf(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined
}

/** `value[key]` when `value` is an object and that member is a non-empty string. */
export function stringAt(value: unknown, key: string): string | undefined {
  const member = objectOf(value)?.[key]
  return typeof member === 'string' && member !== '' ? member : undefined
}

/** The entries of `value[key]` when it is an object. */
export function entriesAt(value: unknown, key: string): [string, unknown][] {
  return Object.entries(objectOf(objectOf(value)?.[key]) ?? {})
}
