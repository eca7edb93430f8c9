import { redactSecrets } from '../../core/connector/connector-error.ts'

/** A ledger-safe copy of `data`: the connections' secret values and credential patterns scrubbed. */
export function redactForLedger(
  data: Record<string, unknown>,
  secrets: readonly string[],
): Record<string, unknown> {
  const text = JSON.stringify(data, (_k, v) =>
    v instanceof Error ? { name: v.name, message: v.message } : v,
  )
  const clean = redactSecrets(text, secrets)
  return clean === text ? data : (JSON.parse(clean) as Record<string, unknown>)
}
