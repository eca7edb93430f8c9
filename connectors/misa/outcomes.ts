/**
 * Resolves pending writes whose callback may have been lost: reads get_call_back_detail_error (the
 * results AMIS could not deliver) over the pending window. A write with no result after
 * `outcomeTimeoutMs` is failed as `transient`, so the runtime resends it; the deterministic org_refid
 * makes that resend replace the proposal (or answer IsCreatedVoucher, which counts as done).
 */
import type { ConnectorContext, WriteOutcome } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { parseVietnamDateTime, vietnamDate } from '../../core/vietnam/vietnam-time.ts'
import { callApi } from './call-api.ts'
import { type Config, configSecrets } from './config.ts'
import { listOf } from './envelope.ts'
import { correlationIdOf, outcomeOfRow } from './outcome-row.ts'

const DAY_MS = 86_400_000
const MAX_PAGES = 100
/** Default wait before a silent write is resent. */
export const DEFAULT_OUTCOME_TIMEOUT_MS = 6 * 3600_000

function createdMs(row: Record<string, unknown>): number | null {
  if (typeof row.created_date !== 'string') return null
  try {
    return parseVietnamDateTime(row.created_date).getTime()
  } catch {
    return null
  }
}

/** Polls MISA for the outcomes of `pending`; returns one outcome per pending write. */
export async function pollOutcomes(
  ctx: ConnectorContext<Config>,
  pending: { correlationId: string; since: string }[],
): Promise<WriteOutcome[]> {
  if (pending.length === 0) return []
  const now = ctx.now().getTime()
  const sinceOf = new Map(pending.map((p) => [p.correlationId, Date.parse(p.since)]))
  const earliest = Math.min(...[...sinceOf.values()].filter(Number.isFinite), now)
  const found = new Map<string, WriteOutcome>()
  const secrets = configSecrets(ctx.config)
  for (let page = 0; page < MAX_PAGES; page++) {
    const { data } = await callApi(ctx, 'get_call_back_detail_error', {
      from_date: vietnamDate(earliest - DAY_MS),
      to_date: vietnamDate(now + DAY_MS),
      skip: page * 100,
      take: 100,
    })
    const rows = listOf(data)
    for (const row of rows) {
      const dataType = Number(row.data_type ?? 1)
      const id = correlationIdOf(row, dataType)
      const since = id ? sinceOf.get(id) : undefined
      if (!id || since === undefined) continue
      // A result older than the pending write answers an earlier send; a minute of slack covers clock skew.
      const created = createdMs(row)
      if (created !== null && Number.isFinite(since) && created < since - 60_000) continue
      const outcome = outcomeOfRow(row, dataType, secrets)
      if (outcome) found.set(id, outcome)
    }
    if (rows.length < 100) break
  }
  const timeout = ctx.config.outcomeTimeoutMs ?? DEFAULT_OUTCOME_TIMEOUT_MS
  return pending.map((p): WriteOutcome => {
    const outcome = found.get(p.correlationId)
    if (outcome) return outcome
    const since = sinceOf.get(p.correlationId) ?? now
    if (now - since < timeout) return { correlationId: p.correlationId, status: 'pending' }
    return {
      correlationId: p.correlationId,
      status: 'failed',
      error: new ConnectorError(
        'transient',
        `MISA sent no outcome for ${p.correlationId} within ${Math.round(timeout / 60_000)} min and none is pending redelivery: resending the proposal`,
      ),
    }
  })
}
