/**
 * BC writes enum member names with every character outside [A-Za-z0-9_] escaped as `_xHHHH_`
 * (a blank member is `_x0020_`). Older builds sent the raw name, so reads accept both.
 */

/** Decodes `_xHHHH_` escapes: `In_x0020_Review` → `In Review`, `_x0020_` → ` `. */
export function decodeEnum(value: string): string {
  return value.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) =>
    String.fromCharCode(Number.parseInt(hex, 16)),
  )
}

/** Encodes a member name the way BC emits it: `Begin-Total` → `Begin_x002D_Total`. */
export function encodeEnum(value: string): string {
  return value.replace(
    /[^A-Za-z0-9_]/g,
    (c) => `_x${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}_`,
  )
}

/** True when two enum values name the same member, whichever form each is in (case-insensitive). */
export function sameEnum(a: string, b: string): boolean {
  return decodeEnum(a).trim().toLowerCase() === decodeEnum(b).trim().toLowerCase()
}
