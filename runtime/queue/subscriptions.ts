import type { ConnectorContext, Subscription, Webhooks } from '../../core/connector/connector.ts'
import { isConnectorError } from '../../core/connector/connector-error.ts'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import type { EngineDeps } from '../engine/engine-deps.ts'
import { NotFoundError } from '../engine/flow-control.ts'
import { enabledFlowVersions } from '../store/flows-store.ts'
import {
  getStoredSubscription,
  markSubscriptionFailing,
  subscriptionOfStream,
  subscriptionsOfConnection,
  upsertSubscription,
} from '../store/subscriptions-store.ts'

const DEFAULT_RENEW_BEFORE_MS = 24 * 3_600_000

/** A stored subscription as the connector sees it (secret opened). */
function toSubscription(
  deps: EngineDeps & { box?: { open(s: string): Record<string, unknown> } },
  row: {
    remoteId: string
    stream: string
    expiresAt: Date | null
    secret: string | null
    data: Record<string, unknown>
  },
): Subscription {
  const secret = row.secret && deps.box ? String(deps.box.open(row.secret).secret ?? '') : undefined
  return {
    id: row.remoteId,
    stream: row.stream,
    expiresAt: row.expiresAt?.toISOString(),
    secret,
    data: row.data,
  }
}

type SubscriptionDeps = EngineDeps & {
  box?: { seal(v: Record<string, unknown>): string; open(s: string): Record<string, unknown> }
  publicUrl?: string
}

/** Stores what the remote answered for a subscription (secret sealed). */
async function storeSubscription(
  deps: SubscriptionDeps,
  tenantId: string,
  connectionId: string,
  sub: Subscription,
) {
  const secret = sub.secret && deps.box ? deps.box.seal({ secret: sub.secret }) : null
  const values = {
    tenantId,
    connectionId,
    stream: sub.stream,
    remoteId: sub.id,
    expiresAt: sub.expiresAt ? new Date(sub.expiresAt) : null,
    secret,
    data: JSON.stringify(sub.data ?? {}),
    state: 'active',
    lastError: null,
    renewedAt: new Date(),
  }
  await upsertSubscription(deps.db, values)
}

/** The subscriptions of a connection, secrets opened, for webhook verification. */
export async function connectionSubscriptions(
  deps: SubscriptionDeps,
  connectionId: string,
): Promise<Subscription[]> {
  const rows = await subscriptionsOfConnection(deps.db, connectionId)
  return rows.map((r) => toSubscription(deps, r))
}

/**
 * Renews a subscription at the remote. One the remote no longer knows (BC deletes a subscription
 * once it expired: its PATCH answers 404) is created again on the same notification URL instead,
 * so renewing an expired subscription brings the notifications back.
 */
async function renewOrRecreate(
  deps: SubscriptionDeps,
  live: { ctx: ConnectorContext; webhooks: Webhooks },
  row: {
    tenantId: string
    connectionId: string
    remoteId: string
    stream: string
    expiresAt: Date | null
    secret: string | null
    data: Record<string, unknown>
  },
): Promise<Subscription> {
  try {
    return await live.webhooks.renew!(live.ctx, toSubscription(deps, row))
  } catch (error) {
    if (!(isConnectorError(error) && error.kind === 'not_found' && live.webhooks.subscribe && deps.publicUrl))
      throw error
    const notificationUrl = `${deps.publicUrl}/hooks/${row.tenantId}/${row.connectionId}`
    return live.webhooks.subscribe(live.ctx, { stream: row.stream, notificationUrl })
  }
}

/** Renews one subscription now; records the error on the row when the remote refuses. */
export async function renewSubscription(
  deps: SubscriptionDeps,
  tenantId: string,
  subscriptionId: string,
): Promise<void> {
  const row = await getStoredSubscription(deps.db, tenantId, subscriptionId)
  if (!row) throw new NotFoundError('subscription', subscriptionId)
  const live = await deps.contexts.get(row.connectionId)
  const webhooks = live.connector.webhooks
  if (!webhooks?.renew) throw new Error(`${live.connector.id} subscriptions do not need renewing`)
  try {
    await storeSubscription(
      deps,
      tenantId,
      row.connectionId,
      await renewOrRecreate(deps, { ctx: live.ctx, webhooks }, row),
    )
  } catch (error) {
    await markSubscriptionFailing(deps.db, row.id, String(error))
    throw error
  }
}

/**
 * Keeps webhook subscriptions alive for every enabled flow that wants webhooks: creates missing ones
 * (BC re-creates a deleted one this way), renews those expiring within the connector's window.
 */
export async function maintainSubscriptions(
  deps: SubscriptionDeps,
): Promise<{ created: number; renewed: number; failed: number }> {
  const counts = { created: 0, renewed: 0, failed: 0 }
  if (!deps.publicUrl) return counts
  const flows = await enabledFlowVersions(deps.db)
  for (const flow of flows) {
    const manifest = flow.manifest as unknown as FlowManifest
    if (!manifest.trigger?.webhook) continue
    const connectionId = flow.bindings[manifest.source.connection]!
    const live = await deps.contexts.get(connectionId)
    const webhooks = live.connector.webhooks
    if (!webhooks?.subscribe) continue
    const existing = await subscriptionOfStream(deps.db, connectionId, manifest.source.stream)
    try {
      if (!existing || existing.state === 'deleted') {
        const notificationUrl = `${deps.publicUrl}/hooks/${flow.tenantId}/${connectionId}`
        await storeSubscription(
          deps,
          flow.tenantId,
          connectionId,
          await webhooks.subscribe(live.ctx, { stream: manifest.source.stream, notificationUrl }),
        )
        counts.created++
      } else if (
        webhooks.renew &&
        existing.expiresAt &&
        existing.expiresAt.getTime() - Date.now() < (webhooks.renewBeforeMs ?? DEFAULT_RENEW_BEFORE_MS)
      ) {
        await storeSubscription(
          deps,
          flow.tenantId,
          connectionId,
          await renewOrRecreate(deps, { ctx: live.ctx, webhooks }, existing),
        )
        counts.renewed++
      }
    } catch (error) {
      counts.failed++
      deps.log.warn('subscription upkeep failed', {
        connectionId,
        stream: manifest.source.stream,
        error: String(error),
      })
    }
  }
  return counts
}
