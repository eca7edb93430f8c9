import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import type { Db } from '../store/database.ts'
import {
  deleteFlowSchedule,
  getFlowSchedule,
  putFlowSchedule,
  schedulesToReconcile,
  touchFlowScheduleVersion,
} from '../store/flow-schedules-store.ts'
import { type FlowScheduleSpec, nextOccurrence, scheduleSpecOf } from './flow-schedule.ts'

/** What decides a flow's schedule row: whether it is on, and its current version's trigger. */
export interface FlowScheduleInput {
  flowId: string
  tenantId: string
  enabled: boolean
  version: number
  trigger: FlowManifest['trigger'] | undefined
}

// jsonb reorders keys, so compare field by field rather than as JSON text.
function sameSpec(stored: Record<string, unknown>, spec: FlowScheduleSpec): boolean {
  const keys = Object.keys(spec) as (keyof FlowScheduleSpec)[]
  return Object.keys(stored).length === keys.length && keys.every((k) => stored[k] === spec[k])
}

/**
 * Makes a flow's schedule row match the flow: none when it is off or has no schedule; otherwise its
 * spec with the next occurrence after `now`. A new version with the same spec keeps the due time, so
 * re-saving a flow neither skips nor adds a run.
 */
export async function syncFlowSchedule(db: Db, flow: FlowScheduleInput, now = new Date()): Promise<void> {
  const spec = flow.enabled ? scheduleSpecOf(flow.trigger) : undefined
  if (!spec) {
    await deleteFlowSchedule(db, flow.flowId)
    return
  }
  const existing = await getFlowSchedule(db, flow.flowId)
  if (existing && sameSpec(existing.spec, spec)) {
    if (existing.version !== flow.version) await touchFlowScheduleVersion(db, flow.flowId, flow.version)
    return
  }
  await putFlowSchedule(db, {
    flowId: flow.flowId,
    tenantId: flow.tenantId,
    version: flow.version,
    spec,
    nextAt: nextOccurrence(spec, flow.flowId, now),
  })
}

/**
 * Brings every schedule row in line with its flow: flows enabled before the table existed get one,
 * flows saved with a new version since get the new version's schedule, disabled flows lose theirs.
 * Returns how many flows it changed.
 */
export async function reconcileFlowSchedules(db: Db): Promise<number> {
  let changed = 0
  // Bounded: a row that cannot be brought in line must not keep startup busy forever.
  for (let pass = 0; pass < 100; pass++) {
    const stale = await schedulesToReconcile(db)
    for (const f of stale) {
      await syncFlowSchedule(db, {
        flowId: f.flowId,
        tenantId: f.tenantId,
        enabled: f.enabled,
        version: f.currentVersion,
        trigger: (f.trigger ?? undefined) as FlowManifest['trigger'],
      })
    }
    changed += stale.length
    if (stale.length < 1000) break
  }
  return changed
}
