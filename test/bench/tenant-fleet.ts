import type { PgBoss } from 'pg-boss'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { type FlowRunJob, flowRunKey } from '../../runtime/queue/flow-run-job.ts'
import { QUEUES } from '../../runtime/queue/queues.ts'
import type { BenchEnvironment } from './bench-environment.ts'
import { loadFlowManifest } from './load-flow-manifest.ts'
import type { PhasedSchedule } from './schedule-lateness.ts'

/** The ten polled flows a tenant with both BC recipes enabled has (bc-basware's seven, bc-misa's three). */
export const FLEET_FLOWS = [
  'bc-basware/accounts-to-basware',
  'bc-basware/credit-notes-to-bc',
  'bc-basware/dimension-values-to-basware',
  'bc-basware/invoices-to-bc',
  'bc-basware/payment-terms-to-basware',
  'bc-basware/vendors-to-basware',
  'bc-misa/invoices-to-misa',
  'bc-misa/payments-to-misa',
  'bc-misa/vendors-to-misa',
  'basware-misa/vendors-to-basware',
].map((name) => `manifests/recipes/${name}.flow.yaml`)

/** One scheduled flow of the fleet. */
export interface FleetFlow extends PhasedSchedule {
  tenantId: string
  flowId: string
}

/** A small seeded generator (mulberry32), so every run builds the same fleet. */
function seeded(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** An RFC 5545 DTSTART line for an instant (whole seconds, UTC). */
function dtstart(ms: number): string {
  return `DTSTART:${new Date(ms).toISOString().slice(0, 19).replace(/[-:]/g, '')}Z`
}

/**
 * Creates `tenants` tenants, each with one connection per sandbox and the {@link FLEET_FLOWS} saved,
 * enabled and scheduled through pg-boss like `enable` does, except that each schedule is
 * `DTSTART:<phase>` + `FREQ=MINUTELY;INTERVAL=<1–60>`: a fleet whose flows were enabled at random
 * moments, so runs spread over time instead of every "every 15m" flow firing on the same minute.
 */
export async function seedTenantFleet(
  env: BenchEnvironment,
  options: { tenants: number; parallel?: number; seed?: number },
): Promise<FleetFlow[]> {
  const manifests: FlowManifest[] = FLEET_FLOWS.map((path) => {
    const { trigger: _trigger, ...manifest } = loadFlowManifest(path)
    return manifest as FlowManifest
  })
  const random = seeded(options.seed ?? 8)
  const now = Math.floor(Date.now() / 1000) * 1000
  const plan = Array.from({ length: options.tenants }, (_, t) =>
    manifests.map(() => {
      const periodMs = (1 + Math.floor(random() * 60)) * 60_000
      return { periodMs, startMs: now - Math.floor(random() * (periodMs / 1000)) * 1000, tenant: t }
    }),
  )
  const fleet: FleetFlow[] = []
  let next = 0
  const lane = async () => {
    for (let t = next++; t < options.tenants; t = next++) {
      const { tenantId, connections } = await env.tenant(`tenant-${String(t).padStart(4, '0')}`)
      for (const [i, manifest] of manifests.entries()) {
        const { periodMs, startMs } = plan[t]![i]!
        const flowId = await env.flow(tenantId, connections, manifest)
        await scheduleFlow(env.boss, { tenantId, flowId, periodMs, startMs })
        fleet.push({ tenantId, flowId, periodMs, startMs })
      }
    }
  }
  await Promise.all(Array.from({ length: options.parallel ?? 6 }, lane))
  return fleet
}

/** The pg-boss schedule `enable` would create for an interval trigger, with the flow's own phase. */
async function scheduleFlow(boss: PgBoss, flow: FleetFlow): Promise<void> {
  const data: FlowRunJob = {
    tenantId: flow.tenantId,
    flowId: flow.flowId,
    trigger: 'schedule',
    scope: 'live',
  }
  const rule = `${dtstart(flow.startMs)}\nRRULE:FREQ=MINUTELY;INTERVAL=${flow.periodMs / 60_000}`
  await boss.schedule(QUEUES.flowRun, rule, data, { key: flow.flowId, singletonKey: flowRunKey(data) })
}
