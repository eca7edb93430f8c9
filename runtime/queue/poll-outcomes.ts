import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { completeOutcome } from '../engine/complete-outcome.ts'
import type { EngineDeps } from '../engine/engine-deps.ts'
import { recordsAwaitingOutcome } from '../store/records-store.ts'

/**
 * Asks target systems about writes that have waited longer than their connector's `pollAfterMs`
 * (a callback may have been lost), and completes those with a known outcome. Nothing stays pending
 * silently: each poll leaves an `outcome_polled` trace through the completed records' ledgers.
 */
export async function pollOutcomes(deps: EngineDeps): Promise<{ asked: number; completed: number }> {
  const waiting = await recordsAwaitingOutcome(deps.db, 1000)
  const byConnection = new Map<
    string,
    { tenantId: string; pending: { correlationId: string; since: string }[] }
  >()
  for (const r of waiting) {
    const manifest = r.manifest as unknown as FlowManifest
    const connectionId = r.bindings[manifest.target.connection]!
    const group = byConnection.get(connectionId) ?? { tenantId: r.tenantId, pending: [] }
    group.pending.push({ correlationId: r.correlationId!, since: new Date(r.updatedAt).toISOString() })
    byConnection.set(connectionId, group)
  }
  let asked = 0
  let completed = 0
  for (const [connectionId, group] of byConnection) {
    const live = await deps.contexts.get(connectionId)
    const outcomes = live.connector.outcomes
    if (!outcomes) continue
    const due = group.pending.filter((p) => Date.now() - Date.parse(p.since) >= outcomes.pollAfterMs)
    if (due.length === 0) continue
    asked += due.length
    for (const outcome of await outcomes.poll(live.ctx, due)) {
      if ((await completeOutcome(deps, group.tenantId, outcome, 'poll')) === 'completed') completed++
    }
  }
  return { asked, completed }
}
