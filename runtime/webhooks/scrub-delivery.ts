/** What a stored delivery keeps: its headers and raw body. */
export interface Delivery {
  headers: Record<string, string>
  body: Uint8Array
}

/** Headers that carry the caller's own credentials, never kept. */
const DROPPED_HEADERS = new Set(['authorization', 'cookie', 'proxy-authorization'])

/**
 * A delivery as the webhook inbox may keep it: credential headers dropped and every known secret
 * (the connection's, and the subscriptions' shared secrets such as BC's `clientState`, which each
 * BC notification echoes in its body) replaced by `[redacted]` in header values and in the body.
 * The body is scrubbed byte for byte (latin1 maps each byte to one character), so a body that is
 * not UTF-8 is kept exactly apart from the secrets.
 */
export function scrubDelivery(delivery: Delivery, secrets: readonly (string | undefined)[]): Delivery {
  // Short values would garble unrelated text; real secrets are long.
  const known = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s.length >= 4))]
  const scrub = (text: string, encode: (s: string) => string) =>
    known.reduce((out, secret) => out.split(encode(secret)).join('[redacted]'), text)
  const latin1 = (s: string) => Buffer.from(s, 'utf8').toString('latin1')
  const headers = Object.fromEntries(
    Object.entries(delivery.headers)
      .filter(([name]) => !DROPPED_HEADERS.has(name.toLowerCase()))
      .map(([name, value]) => [name, scrub(value, (s) => s)]),
  )
  const body = Buffer.from(scrub(Buffer.from(delivery.body).toString('latin1'), latin1), 'latin1')
  return { headers, body }
}
