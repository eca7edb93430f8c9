/**
 * TypeBox lacks two JSON Schema shapes the manifests need; these build them with correct static types.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox'

/**
 * Alternative forms of one field (`oneOf`). Each branch is a closed object or a distinct type, so the
 * diagnostics can tell which form the author meant by its type and its own keys (see schema-diagnostics.ts).
 */
export function oneOf<T extends TSchema[]>(branches: [...T], options: Record<string, unknown> = {}) {
  return Type.Unsafe<Static<T[number]>>({ ...options, oneOf: branches })
}

/** An object with free keys and values of one schema (`additionalProperties`), keys optionally constrained. */
export function dictionary<T extends TSchema>(
  value: T,
  options: { keyPattern?: string } & Record<string, unknown> = {},
) {
  const { keyPattern, ...rest } = options
  return Type.Unsafe<Record<string, Static<T>>>({
    ...rest,
    type: 'object',
    ...(keyPattern === undefined ? {} : { propertyNames: { pattern: keyPattern } }),
    additionalProperties: value,
  })
}

/** A string with a fixed set of values, as a plain `enum` (TypeBox would emit an `anyOf` of `const`s). */
export function stringEnum<const T extends readonly string[]>(
  values: T,
  options: Record<string, unknown> = {},
) {
  return Type.Unsafe<T[number]>({ ...options, type: 'string', enum: [...values] })
}
