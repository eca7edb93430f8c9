import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { intervalPhaseMs } from '../../runtime/queue/flow-schedule.ts'
import { queueFlowControl } from '../../runtime/queue/queue-flow-control.ts'
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

/**
 * Creates `tenants` tenants, each with one connection per sandbox and the {@link FLEET_FLOWS} saved
 * with `trigger: { every: <1–60><unit> }` (seeded) and enabled through flow control's `enable`, as
 * the API does: each lands in `flow_schedules` with its phase derived from its id. `unit` `s`
 * compresses time sixty-fold (seconds instead of minutes).
 */
export async function seedTenantFleet(
  env: BenchEnvironment,
  options: { tenants: number; unit: 's' | 'm'; parallel?: number; seed?: number },
): Promise<FleetFlow[]> {
  const manifests: FlowManifest[] = FLEET_FLOWS.map((path) => loadFlowManifest(path))
  const random = seeded(options.seed ?? 8)
  const plan = Array.from({ length: options.tenants }, () =>
    manifests.map(() => 1 + Math.floor(random() * 60)),
  )
  const unitMs = options.unit === 's' ? 1_000 : 60_000
  // enable and disable need only the database and the queue, not the rest of the engine.
  const control = queueFlowControl({ db: env.db, boss: env.boss } as Parameters<typeof queueFlowControl>[0])
  const fleet: FleetFlow[] = []
  let next = 0
  const lane = async () => {
    for (let t = next++; t < options.tenants; t = next++) {
      const { tenantId, connections } = await env.tenant(`tenant-${String(t).padStart(4, '0')}`)
      for (const [i, manifest] of manifests.entries()) {
        const every = plan[t]![i]!
        const periodMs = every * unitMs
        const flowId = await env.flow(tenantId, connections, {
          ...manifest,
          trigger: { every: `${every}${options.unit}` },
        })
        await control.enable(tenantId, flowId)
        fleet.push({ tenantId, flowId, periodMs, startMs: intervalPhaseMs(flowId, periodMs) })
      }
    }
  }
  await Promise.all(Array.from({ length: options.parallel ?? 6 }, lane))
  return fleet
}
