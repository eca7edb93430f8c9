/** Reads RFC 8288 `Link` headers (`<https://…?page=2>; rel="next"`). */

/** The target of the first link with relation `rel`, resolved against `base`. */
export function linkWithRel(header: string | null, rel: string, base: string): string | undefined {
  if (!header) return undefined
  for (const part of header.split(/,(?=\s*<)/)) {
    const match = /^\s*<([^>]*)>(.*)$/.exec(part)
    if (!match) continue
    const rels =
      /;\s*rel\s*=\s*"?([^";]+)"?/i
        .exec(match[2] ?? '')?.[1]
        ?.toLowerCase()
        .split(/\s+/) ?? []
    if (rels.includes(rel.toLowerCase())) return new URL(match[1]!, base).toString()
  }
  return undefined
}
