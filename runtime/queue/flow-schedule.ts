import { createHash } from 'node:crypto'
import { CronExpressionParser } from 'cron-parser'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { durationMs } from '../../core/manifest/manifest-patterns.ts'

/** When a flow runs on its own: a cron expression in a time zone, or a fixed interval. */
export type FlowScheduleSpec = { cron: string; tz: string } | { everyMs: number }

/** The schedule a manifest's trigger asks for; undefined when it has none (webhook or API only). */
export function scheduleSpecOf(trigger: FlowManifest['trigger'] | undefined): FlowScheduleSpec | undefined {
  const schedule = trigger?.schedule
  if (schedule) {
    return typeof schedule === 'string'
      ? { cron: schedule, tz: 'UTC' }
      : { cron: schedule.cron, tz: schedule.timezone ?? 'UTC' }
  }
  return trigger?.every ? { everyMs: durationMs(trigger.every) } : undefined
}

/**
 * Where in each interval a flow fires, from its id: flows with the same `every` spread evenly over the
 * interval instead of all firing on the same instant, and a flow keeps its phase across restarts.
 */
export function intervalPhaseMs(flowId: string, everyMs: number): number {
  return createHash('sha1').update(flowId).digest().readUIntBE(0, 6) % everyMs
}

/** The first occurrence strictly after `after`: occurrences that were missed collapse into this one. */
export function nextOccurrence(spec: FlowScheduleSpec, flowId: string, after: Date): Date {
  if ('cron' in spec) {
    return CronExpressionParser.parse(spec.cron, { currentDate: after, tz: spec.tz }).next().toDate()
  }
  const phase = intervalPhaseMs(flowId, spec.everyMs)
  const t = after.getTime()
  return new Date(t - ((((t - phase) % spec.everyMs) + spec.everyMs) % spec.everyMs) + spec.everyMs)
}
