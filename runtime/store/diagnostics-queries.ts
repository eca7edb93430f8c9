import { sql } from 'kysely'
import type { Db } from './database.ts'

/** A subscription as diagnostics show it: expiry and when its connection last received a notification. */
export interface SubscriptionHealth {
  id: string
  connectionId: string
  stream: string
  state: string
  expiresAt: Date | null
  renewedAt: Date | null
  lastError: string | null
  lastNotificationAt: Date | null
}

/** A flow's polling: when a run last read its source to the end, and its latest run. */
export interface FlowPolling {
  id: string
  name: string
  enabled: boolean
  lastPolledAt: Date | null
  lastRun: { id: string; state: string; startedAt: Date; finishedAt: Date | null } | null
}

/** A tenant's subscriptions, soonest to expire first, with the last delivery its connection received. */
export async function listSubscriptionHealth(db: Db, tenantId: string): Promise<SubscriptionHealth[]> {
  const { rows } = await sql<SubscriptionHealth>`
    select s.id, s.connection_id, s.stream, s.state, s.expires_at, s.renewed_at, s.last_error,
           (select max(received_at) from webhook_inbox w
             where w.connection_id = s.connection_id and w.tenant_id = s.tenant_id) as last_notification_at
      from subscriptions s
     where s.tenant_id = ${tenantId}
     order by s.expires_at nulls last, s.id`.execute(db)
  return rows
}

/** A tenant's flows with their last poll and latest run. */
export async function listFlowPolling(db: Db, tenantId: string): Promise<FlowPolling[]> {
  const { rows } = await sql<{
    id: string
    name: string
    enabled: boolean
    lastPolledAt: Date | null
    runId: string | null
    runState: string | null
    startedAt: Date | null
    finishedAt: Date | null
  }>`
    select f.id, f.name, f.enabled, f.last_polled_at,
           r.id as run_id, r.state as run_state, r.started_at, r.finished_at
      from flows f
      left join lateral (select id, state, started_at, finished_at from runs
                          where runs.flow_id = f.id order by started_at desc, id desc limit 1) r on true
     where f.tenant_id = ${tenantId}
     order by f.name`.execute(db)
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    enabled: r.enabled,
    lastPolledAt: r.lastPolledAt,
    lastRun:
      r.runId && r.runState && r.startedAt
        ? { id: r.runId, state: r.runState, startedAt: r.startedAt, finishedAt: r.finishedAt }
        : null,
  }))
}
