import { randomUUID } from 'node:crypto'
import type { PgBoss } from 'pg-boss'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import type { RecordState } from '../../core/record/record-state.ts'
import type { DeliveryTicket } from '../engine/dispatcher.ts'
import type { EngineDeps } from '../engine/engine-deps.ts'
import { type FlowControl, NotFoundError } from '../engine/flow-control.ts'
import { deleteFlowSchedule } from '../store/flow-schedules-store.ts'
import { getFlow, getFlowVersion, setFlowEnabled } from '../store/flows-store.ts'
import { persistStep } from '../store/persist-steps.ts'
import { recordsForReplay } from '../store/records-store.ts'
import type { FlowRunJob } from './flow-run-job.ts'
import { goLive, goShadow } from './go-live.ts'
import { requestFlowRun } from './request-flow-run.ts'
import { renewSubscription } from './subscriptions.ts'
import { syncFlowSchedule } from './sync-flow-schedule.ts'

const STALE_DELIVERY_MS = 10 * 60_000

/** FlowControl on pg-boss: run requests and replays become jobs; enabling schedules the flow (flow_schedules). */
export function queueFlowControl(deps: EngineDeps & { boss: PgBoss; publicUrl?: string }): FlowControl {
  const { db, boss } = deps

  async function flowOf(tenantId: string, flowId: string) {
    const flow = await getFlow(db, tenantId, flowId)
    if (!flow) throw new NotFoundError('flow', flowId)
    const version = await getFlowVersion(db, flowId, flow.currentVersion)
    return { flow, manifest: version!.manifest as unknown as FlowManifest }
  }

  const requestRun = (job: FlowRunJob) => requestFlowRun(boss, job)

  return {
    async enable(tenantId, flowId) {
      const { flow, manifest } = await flowOf(tenantId, flowId)
      await db.transaction().execute(async (trx) => {
        await setFlowEnabled(trx, flowId, true)
        await syncFlowSchedule(trx, {
          flowId,
          tenantId,
          enabled: true,
          version: flow.currentVersion,
          trigger: manifest.trigger,
        })
      })
    },
    async disable(tenantId, flowId) {
      await flowOf(tenantId, flowId)
      await db.transaction().execute(async (trx) => {
        await setFlowEnabled(trx, flowId, false)
        await deleteFlowSchedule(trx, flowId)
      })
    },
    async runNow(tenantId, flowId) {
      await flowOf(tenantId, flowId)
      return { queued: await requestRun({ tenantId, flowId, trigger: 'api', scope: 'live' }) }
    },
    async backfill(tenantId, flowId, window) {
      await flowOf(tenantId, flowId)
      const scope = `backfill:${randomUUID()}`
      return { scope, queued: await requestRun({ tenantId, flowId, trigger: 'backfill', scope, window }) }
    },
    async replay(tenantId, recordIds, options) {
      // Staleness is judged by the database's clock, the one that wrote updated_at.
      const records = await recordsForReplay(db, tenantId, recordIds, STALE_DELIVERY_MS)
      const found = new Set(records.map((r) => r.id))
      const missing = recordIds.find((id) => !found.has(id))
      if (missing !== undefined) throw new NotFoundError('record', missing)
      // In source order, in one transaction: records of one order key join its FIFO queue in the order they were read.
      records.sort((a, b) => (BigInt(a.seq) < BigInt(b.seq) ? -1 : 1))
      const versions = new Map<string, number>()
      for (const flowId of new Set(records.map((r) => r.flowId)))
        versions.set(flowId, (await getFlow(db, tenantId, flowId))!.currentVersion)
      return db.transaction().execute(async (trx) => {
        let queued = 0
        let skipped = 0
        const byFlow = new Map<string, DeliveryTicket[]>()
        for (const record of records) {
          if (record.state === 'queued' || (record.state === 'delivering' && !record.stale)) {
            skipped++
            continue
          }
          const version = options.version === 'latest' ? versions.get(record.flowId)! : record.flowVersion
          const progress = { ...record.progress, acknowledged: false, remoteFailure: undefined }
          const moved = await persistStep(
            trx,
            record.id,
            record.state as RecordState,
            { state: 'queued', flowVersion: version, progress, error: null },
            [
              {
                type: 'replayed',
                attempt: record.attempts,
                data: { from: record.state, flowVersion: version, pinned: options.version === 'pinned' },
              },
            ],
          )
          if (!moved) {
            skipped++
            continue
          }
          const tickets = byFlow.get(record.flowId) ?? []
          tickets.push({
            recordId: record.id,
            orderKey: record.orderKey,
            ordinal: BigInt(record.seq),
            reason: `replay:${randomUUID()}`,
          })
          byFlow.set(record.flowId, tickets)
          queued++
        }
        for (const [flowId, tickets] of byFlow) await deps.dispatcher.enqueue(trx, flowId, tickets)
        return { queued, skipped }
      })
    },
    shadow: (tenantId, flowId) => goShadow(deps, tenantId, flowId),
    goLive: (tenantId, flowId, options) => goLive(deps, tenantId, flowId, options),
    async renewSubscription(tenantId, subscriptionId) {
      await renewSubscription(deps, tenantId, subscriptionId)
    },
  }
}
