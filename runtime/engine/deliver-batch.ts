import type { WriteRequest, WriteResult } from '../../core/connector/connector.ts'
import { idempotencyKey } from '../../core/record/record-id.ts'
import { persistSteps, type RecordStep } from '../store/persist-steps.ts'
import { getRecordsById, type RecordRow } from '../store/records-store.ts'
import { claimHeldRecord } from './claim-held-record.ts'
import { type DeliveryOutcome, deliverRecord, type ProgramLoader, summariseWrite } from './deliver-record.ts'
import type { EngineDeps } from './engine-deps.ts'
import type { FlowProgram } from './flow-program.ts'
import { LedgerStep } from './ledger-step.ts'
import { settleFailure } from './settle-failure.ts'

/**
 * True when a flow's records can be written many per remote call: the target stream has `writeMany`
 * with `maxBatch` above one, and nothing per record follows the write (no `then` actions, no
 * acknowledgement, no per-key order, no look-up before an upsert). Master data is the usual case.
 */
export function takesBatches(program: FlowProgram): boolean {
  const { stream, actions } = program.target
  const findsFirst = Boolean(program.match && stream.find && program.manifest.target.operation !== 'create')
  return (
    Boolean(stream.writeMany) &&
    (stream.maxBatch ?? 1) > 1 &&
    actions.length === 0 &&
    !program.acknowledge &&
    !program.orderKey &&
    !findsFirst
  )
}

/** A record on its way through a batch: its attempt's ledger step and mapped form. */
interface Pending {
  record: RecordRow
  attempt: number
  step: LedgerStep
  mapped: Record<string, unknown>
}

/**
 * Delivers several records with as few remote calls as their targets allow: the fresh records of a
 * batching flow ({@link takesBatches}) are mapped one by one, marked `delivering` together, written
 * with `writeMany` in chunks of the stream's `maxBatch`, and settled together — two statements for
 * the whole chunk instead of two per record, with the same ledger events as {@link deliverRecord}
 * (the `written` event notes the batch size). Anything else (a retry, a record an earlier attempt may
 * have written, a flow that does not batch) goes through {@link deliverRecord} one by one, so the
 * exactly-once rules stay in one place. Outcomes come back in the order of `recordIds`.
 */
export async function deliverBatch(
  deps: EngineDeps,
  loadProgram: ProgramLoader,
  recordIds: readonly string[],
): Promise<DeliveryOutcome[]> {
  const records = await getRecordsById(deps.db, recordIds)
  const outcomes = new Map<string, DeliveryOutcome>()
  const groups = new Map<string, { program: FlowProgram; records: RecordRow[] }>()
  const singles: string[] = []
  for (const id of recordIds) {
    const record = records.get(id)
    if (!record || (record.state !== 'queued' && record.state !== 'delivering')) {
      outcomes.set(id, { status: 'settled' })
      continue
    }
    const program = await loadProgram(record.tenantId, record.flowId, record.flowVersion)
    // Shadow records stop before the write: the one-record path knows how.
    const fresh =
      !record.shadow &&
      record.state === 'queued' &&
      !record.writeAttempted &&
      !record.progress.written &&
      !record.progress.remoteFailure
    if (!fresh || !takesBatches(program)) {
      singles.push(id)
      continue
    }
    const key = `${record.flowId}:${record.flowVersion}`
    const group = groups.get(key) ?? { program, records: [] }
    group.records.push(record)
    groups.set(key, group)
  }
  for (const { program, records: members } of groups.values()) {
    const size = program.target.stream.maxBatch!
    for (let i = 0; i < members.length; i += size)
      await deliverChunk(deps, program, members.slice(i, i + size), outcomes)
  }
  for (const id of singles) outcomes.set(id, await deliverRecord(deps, loadProgram, id))
  return recordIds.map((id) => outcomes.get(id) ?? { status: 'settled' })
}

async function deliverChunk(
  deps: EngineDeps,
  program: FlowProgram,
  records: RecordRow[],
  outcomes: Map<string, DeliveryOutcome>,
): Promise<void> {
  const target = await deps.contexts.get(program.target.connectionId)
  const source = await deps.contexts.get(program.source.connectionId)
  const secrets = [...target.secrets, ...source.secrets]
  const lookup = deps.lookups.resolver(program)
  const fail = async (p: Omit<Pending, 'mapped'>, error: unknown, state: 'queued' | 'delivering') =>
    outcomes.set(
      p.record.id,
      await settleFailure(deps, program, p.record, {
        error,
        attempt: p.attempt,
        step: p.step,
        progress: { ...p.record.progress },
        state,
        sourceCtx: source.ctx,
      }),
    )

  // Filter and map each record; the skipped and the mapped are persisted together.
  const started: RecordStep[] = []
  const mappedOnes: Pending[] = []
  for (const record of records) {
    const attempt = record.attempts + 1
    const step = new LedgerStep(attempt, secrets)
    step.add('attempt', { flowVersion: program.version, batch: records.length })
    try {
      const bindings = { recordKey: record.sourceKey, lookup }
      if (program.when && !(await program.when.evaluate(record.source, bindings))) {
        step.add('skipped', { reason: 'the flow’s `when` filter is false for this record' })
        started.push({
          id: record.id,
          from: 'queued',
          patch: { state: 'skipped', attempts: attempt, error: null },
          events: step.take(),
        })
        outcomes.set(record.id, { status: 'skipped' })
        continue
      }
      const t0 = performance.now()
      const mapped = (await program.map.evaluate(record.source, bindings)) as Record<string, unknown>
      step.add('mapped', { record: mapped }, t0)
      mappedOnes.push({ record, attempt, step, mapped })
    } catch (error) {
      await fail({ record, attempt, step }, error, 'queued')
    }
  }
  // Marked as written-to before the call: if we die during it, each record's next attempt looks first.
  for (const p of mappedOnes)
    started.push({
      id: p.record.id,
      from: 'queued',
      patch: {
        state: 'delivering',
        attempts: p.attempt,
        mapped: p.mapped,
        writeAttempted: true,
        error: null,
      },
      events: p.step.take(),
    })
  const moved = await persistSteps(deps.db, started)
  for (const s of started) if (!moved.has(s.id)) outcomes.set(s.id, { status: 'settled' })
  const live = mappedOnes.filter((p) => moved.has(p.record.id))
  if (live.length === 0) return

  const t1 = performance.now()
  const requests: WriteRequest[] = live.map((p) => ({
    operation: program.manifest.target.operation,
    record: p.mapped,
    idempotencyKey: idempotencyKey(`${p.record.flowId}:${p.record.sourceKey}`, 'write'),
  }))
  let results: WriteResult[]
  try {
    results = await program.target.stream.writeMany!(target.ctx, requests)
  } catch (error) {
    for (const p of live) await fail(p, error, 'delivering')
    return
  }

  const finished: RecordStep[] = []
  for (const [index, p] of live.entries()) {
    const result = results[index]
    if (!result || result.status === 'failed') {
      await fail(
        p,
        result?.error ?? new Error(`writeMany returned no result for item ${index}`),
        'delivering',
      )
      continue
    }
    p.step.add('written', { status: result.status, batch: live.length, ...summariseWrite(result) }, t1)
    const progress = { ...p.record.progress }
    if (result.status === 'done') {
      progress.written = { id: result.id, number: result.number, etag: result.etag }
      p.step.add('delivered', { id: result.id, number: result.number })
      finished.push({
        id: p.record.id,
        from: 'delivering',
        patch: { state: 'delivered', targetId: result.id, targetNumber: result.number ?? null, progress },
        events: p.step.take(),
      })
      outcomes.set(p.record.id, { status: 'delivered' })
    } else if (result.status === 'pending') {
      await claimHeldRecord(program, source.ctx, p.record, p.step, progress)
      finished.push({
        id: p.record.id,
        from: 'delivering',
        patch: { state: 'awaiting', correlationId: result.correlationId, progress },
        events: p.step.take(),
      })
      outcomes.set(p.record.id, { status: 'awaiting' })
    } else {
      finished.push({
        id: p.record.id,
        from: 'delivering',
        patch: { state: 'skipped', targetId: result.id ?? null },
        events: p.step.take(),
      })
      outcomes.set(p.record.id, { status: 'skipped' })
    }
  }
  const settled = await persistSteps(deps.db, finished)
  for (const s of finished) if (!settled.has(s.id)) outcomes.set(s.id, { status: 'settled' })
}
