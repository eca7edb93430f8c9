import type { Connector, ConnectorLimits } from '../../core/connector/connector.ts'

/** Limits an operator sets per connector id, replacing the declared ones (`null`: enforce none). */
export type LimitsOverride = Record<string, ConnectorLimits | null>

function positive(value: unknown): value is number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0
}

function checkLimits(id: string, limits: unknown): ConnectorLimits | null {
  if (limits === null) return null
  if (typeof limits !== 'object' || Array.isArray(limits))
    throw new Error(`FERRY_LIMITS.${id}: expected an object or null`)
  const { budget, concurrency } = limits as ConnectorLimits
  if (budget !== undefined && !(positive(budget?.requests) && positive(budget?.perMs))) {
    throw new Error(`FERRY_LIMITS.${id}.budget: expected { requests, perMs } with positive numbers`)
  }
  if (concurrency !== undefined && !(positive(concurrency) && Number.isInteger(concurrency))) {
    throw new Error(`FERRY_LIMITS.${id}.concurrency: expected a positive integer`)
  }
  return { ...(budget ? { budget } : {}), ...(concurrency ? { concurrency } : {}) }
}

/**
 * Parses `FERRY_LIMITS` (JSON, connector id → limits) into a `limitsFor` for {@link startService}.
 * Operators lower a budget when other applications share the same principal (BC counts per user),
 * or raise it for a licence with more; every process of one deployment must get the same value.
 *
 * @example FERRY_LIMITS='{"business-central":{"budget":{"requests":3000,"perMs":300000},"concurrency":3}}'
 */
export function parseLimitsOverride(
  text: string | undefined,
): ((connector: Connector) => ConnectorLimits | undefined) | undefined {
  if (!text?.trim()) return undefined
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch {
    throw new Error('FERRY_LIMITS is not valid JSON')
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new Error('FERRY_LIMITS: expected an object of connector id → limits')
  }
  const override: LimitsOverride = {}
  for (const [id, limits] of Object.entries(parsed)) override[id] = checkLimits(id, limits)
  // An explicit null means "none": an empty object, since `undefined` falls back to the declared limits.
  return (connector) => (connector.id in override ? (override[connector.id] ?? {}) : connector.limits)
}
