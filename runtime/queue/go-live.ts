/**
 * Going live after a sample period run in shadow. Every shadow record's newest version is looked up in
 * the target by the flow's `match`: a document already there (keyed by hand during the sample period)
 * is linked — delivered with the target's id and number, acknowledged to the source if the flow
 * acknowledges — instead of written again; the others are written once. Both go through the one
 * delivery pipeline: the records move to `queued` as live records marked "may already be in the
 * target", so delivery looks before it writes, exactly as after a crash mid-write.
 */
import { randomUUID } from 'node:crypto'
import type { DeliveryTicket } from '../engine/dispatcher.ts'
import type { EngineDeps } from '../engine/engine-deps.ts'
import { NotFoundError } from '../engine/flow-control.ts'
import { flowPrograms } from '../engine/flow-program.ts'
import { type GoLiveItem, type GoLiveReport, ShadowInFlightError } from '../engine/go-live-report.ts'
import { getFlow, setFlowMode } from '../store/flows-store.ts'
import { persistStep } from '../store/persist-steps.ts'
import type { RecordRow } from '../store/records-store.ts'
import { newestShadowRecords, reconciledPairings } from '../store/shadow-records-queries.ts'

const SETTLED = new Set(['shadowed', 'failed'])

/**
 * Sorts the settled shadow records into link / write, reading only: a document the flow's `match`
 * finds in the target is linked; so is one the newest reconciliation of the flow paired the record
 * with (keyed under another vendor, say — its differences stay in the report); the rest is written.
 */
async function plan(deps: EngineDeps, tenantId: string, flowId: string) {
  const flow = await getFlow(deps.db, tenantId, flowId)
  if (!flow) throw new NotFoundError('flow', flowId)
  const program = await flowPrograms(deps)(tenantId, flowId, flow.currentVersion)
  const records = await newestShadowRecords(deps.db, flowId)
  const inFlight = records.filter((r) => !SETTLED.has(r.state) && r.state !== 'skipped').length
  const settled = records.filter((r) => SETTLED.has(r.state))
  const paired = await reconciledPairings(
    deps.db,
    flowId,
    settled.map((r) => r.id),
  )
  const linked: Planned[] = []
  const toWrite: Planned[] = []
  const find = program.target.stream.find
  const target = find && program.match ? await deps.contexts.get(program.target.connectionId) : undefined
  for (const record of settled) {
    const item = { record, recordId: record.id, sourceKey: record.sourceKey }
    const mapped = record.state === 'shadowed' ? (record.mapped as Record<string, unknown> | null) : null
    let found: { id: string; number?: string } | null = null
    if (mapped && target && find) {
      const match: Record<string, unknown> = {}
      for (const [field, read] of program.match!) match[field] = await read(mapped)
      found = await find(target.ctx, match)
    }
    const pairing = paired.get(record.id)
    if (found) linked.push({ ...item, targetId: found.id, targetNumber: found.number })
    else if (pairing)
      linked.push({
        ...item,
        targetId: pairing.targetIds[0],
        targetNumber: pairing.targetNumbers[0],
        reason: `paired by the reconciliation (${pairing.class}${pairing.differences.length > 0 ? `: ${pairing.differences.length} field(s) differ` : ''})`,
      })
    else
      toWrite.push({
        ...item,
        reason: record.state === 'failed' ? 'failed in shadow: mapped again' : 'not in the target',
      })
  }
  return { flow, program, linked, toWrite, inFlight }
}

type Planned = GoLiveItem & { record: RecordRow }

const publicItem = ({ record: _, ...item }: Planned): GoLiveItem => item

/**
 * Switches a shadow flow live. With `dryRun`, only reports. Otherwise, in one transaction: the flow's
 * mode becomes live (waiting for pages being read), and each settled shadow record becomes a live
 * queued record with a `went_live` ledger event, handed to delivery in source order.
 */
export async function goLive(
  deps: EngineDeps,
  tenantId: string,
  flowId: string,
  options: { dryRun: boolean },
): Promise<GoLiveReport> {
  const { flow, program, linked, toWrite, inFlight } = await plan(deps, tenantId, flowId)
  const report: GoLiveReport = {
    flowId,
    flowName: flow.name,
    dryRun: options.dryRun,
    linked: linked.map(publicItem),
    toWrite: toWrite.map(publicItem),
    inFlight,
  }
  if (options.dryRun) return report
  if (inFlight > 0) throw new ShadowInFlightError(flow.name, inFlight)
  const links = new Map(linked.map((l) => [l.recordId, l]))
  const all = [...linked, ...toWrite].sort((a, b) => (BigInt(a.record.seq) < BigInt(b.record.seq) ? -1 : 1))
  await deps.db.transaction().execute(async (trx) => {
    await setFlowMode(trx, flowId, 'live')
    const tickets: DeliveryTicket[] = []
    for (const { record } of all) {
      const link = links.get(record.id)
      const moved = await persistStep(
        trx,
        record.id,
        record.state,
        {
          state: 'queued',
          shadow: false,
          // Delivery looks in the target before it writes what is not linked.
          writeAttempted: true,
          error: null,
          // A link is delivered as the clerk left it: written, its actions done, only acknowledged.
          progress: link
            ? {
                written: { id: link.targetId!, number: link.targetNumber },
                actionsDone: program.target.actions.map(([name]) => name),
                acknowledged: false,
              }
            : { ...record.progress, acknowledged: false, remoteFailure: undefined },
        },
        [
          {
            type: 'went_live',
            attempt: record.attempts,
            data: link
              ? { action: 'link', id: link.targetId, number: link.targetNumber }
              : { action: 'write', from: record.state },
          },
        ],
      )
      if (moved)
        tickets.push({
          recordId: record.id,
          orderKey: record.orderKey,
          ordinal: BigInt(record.seq),
          reason: `live:${randomUUID()}`,
        })
    }
    await deps.dispatcher.enqueue(trx, flowId, tickets)
  })
  return report
}

/** Puts a flow in shadow: records read from now on are processed up to "would write". */
export async function goShadow(deps: EngineDeps, tenantId: string, flowId: string): Promise<void> {
  const flow = await getFlow(deps.db, tenantId, flowId)
  if (!flow) throw new NotFoundError('flow', flowId)
  await deps.db.transaction().execute((trx) => setFlowMode(trx, flowId, 'shadow'))
}
