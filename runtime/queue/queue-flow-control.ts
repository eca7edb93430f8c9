import { randomUUID } from 'node:crypto'
import type { PgBoss } from 'pg-boss'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { sortableId } from '../../core/record/record-id.ts'
import type { RecordState } from '../../core/record/record-state.ts'
import type { EngineDeps } from '../engine/engine-deps.ts'
import { type FlowControl, NotFoundError } from '../engine/flow-control.ts'
import { deleteFlowSchedule } from '../store/flow-schedules-store.ts'
import { getFlow, getFlowVersion, setFlowEnabled } from '../store/flows-store.ts'
import { persistStep, type RecordRow } from '../store/records-store.ts'
import { type FlowRunJob, flowRunKey } from './flow-run-job.ts'
import { QUEUES } from './queues.ts'
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

  async function requestRun(job: FlowRunJob): Promise<boolean> {
    const id = await boss.send(QUEUES.flowRun, job, { singletonKey: flowRunKey(job) })
    return id !== null
  }

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
      let queued = 0
      let skipped = 0
      const now = Date.now()
      for (const id of recordIds) {
        const record = (await db
          .selectFrom('records')
          .selectAll()
          .where('tenantId', '=', tenantId)
          .where('id', '=', id)
          .executeTakeFirst()) as RecordRow | undefined
        if (!record) throw new NotFoundError('record', id)
        const stale = now - new Date(record.updatedAt).getTime() > STALE_DELIVERY_MS
        if (record.state === 'queued' || (record.state === 'delivering' && !stale)) {
          skipped++
          continue
        }
        const flow = await getFlow(db, tenantId, record.flowId)
        const version = options.version === 'latest' ? flow!.currentVersion : record.flowVersion
        const progress = { ...record.progress, acknowledged: false, remoteFailure: undefined }
        const moved = await persistStep(
          db,
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
        await boss.send(
          QUEUES.deliver,
          { recordId: record.id },
          { id: sortableId(now, record.id, `replay:${now}`) },
        )
        queued++
      }
      return { queued, skipped }
    },
    async renewSubscription(tenantId, subscriptionId) {
      await renewSubscription(deps, tenantId, subscriptionId)
    },
  }
}
