import type { WriteRequest, WriteResult } from '../../../core/connector/connector.ts'
import { idempotencyKey } from '../../../core/record/record-id.ts'
import { claimHeldRecord } from '../claim-held-record.ts'
import { shadowEnd } from '../shadow-end.ts'
import { type Delivery, type DeliveryEnd, type DeliveryRun, forEachMoving, moving } from './delivery.ts'
import { persistDeliveries } from './persist-deliveries.ts'

/** The ledger's summary of a write's result. */
export function summariseWrite(result: WriteResult): Record<string, unknown> {
  switch (result.status) {
    case 'done':
      return { id: result.id, number: result.number, calls: result.calls }
    case 'pending':
      return { correlationId: result.correlationId, calls: result.calls }
    case 'skipped':
      return { reason: result.reason, id: result.id }
    default:
      return {}
  }
}

/**
 * Step 3: writes what is not yet in the target. A shadow record ends here instead ({@link shadowEnd}),
 * moved to `delivering` first (the state table lets it become `shadowed` from there only). The records
 * about to be written are marked `delivering` + `write_attempted` first, in one statement:
 * if the process dies during the call, each record's next attempt looks before it writes again. A batch
 * chunk is written with one `writeMany`; a single record with `write`. A pending write ends `awaiting`
 * (the source record claimed meanwhile), a write the target skipped ends `skipped`.
 *
 * A batch chunk of an upsert goes without that mark (a statement and a row version per record): its
 * next attempt would write again whatever the mark said (an upsert has no look before it, see
 * takesBatches), and writing it again has the effect of writing it once. Its mark's fields go with
 * the record's next persist; a record whose write failed gets the mark after all, before it settles.
 */
export async function writeStep(run: DeliveryRun): Promise<void> {
  const { program } = run
  const marks = !(run.batched && program.manifest.target.operation === 'upsert')
  const moves: { d: Delivery; patch: DeliveryEnd['patch'] }[] = []
  for (const d of run.deliveries.filter(moving)) {
    if (!d.written && !d.record.shadow) {
      const patch = {
        state: 'delivering',
        attempts: d.attempt,
        mapped: d.mapped,
        writeAttempted: true,
        error: null,
      } as const
      if (marks) moves.push({ d, patch })
      else d.unmarked = { ...patch, state: undefined }
    } else if (d.state === 'queued') {
      // A shadow record too: it is `shadowed` from `delivering` only (the state table).
      moves.push({ d, patch: { state: 'delivering', attempts: d.attempt, mapped: d.mapped } })
    }
  }
  const toWrite = marks
    ? moves.filter(({ d }) => !d.written && !d.record.shadow).map(({ d }) => d)
    : run.deliveries.filter((d) => d.unmarked)
  await persistDeliveries(run, moves)
  await forEachMoving(run, async (d) => {
    if (!d.record.shadow) return
    await shadowEnd(program, run.target.ctx, d.mapped!, d.found, d.step, async (patch) => {
      d.end = {
        patch: { state: 'shadowed', attempts: d.attempt, mapped: d.mapped, error: null, ...patch },
        outcome: { status: 'shadowed' },
      }
    })
  })
  const writing = toWrite.filter(moving)
  if (writing.length > 0) {
    const t0 = performance.now()
    const results = await write(run, writing)
    for (const [index, d] of writing.entries())
      await takeResult(run, d, results[index], { index, size: writing.length, startedAt: t0 })
    // A failure settles from `delivering` with what the mark holds, as a marked write's does.
    const failed = writing.filter((d) => d.failure && d.unmarked)
    await persistDeliveries(
      run,
      failed.map((d) => ({ d, patch: { ...d.unmarked, state: 'delivering' as const } })),
    )
  }
  for (const d of run.deliveries) if (moving(d)) d.progress.written = d.written
}

/** One remote call for a batch chunk, one per record otherwise; a call that throws fails its records. */
async function write(run: DeliveryRun, writing: Delivery[]): Promise<(WriteResult | undefined)[]> {
  const { program, target } = run
  const stream = program.target.stream
  const request = (d: Delivery): WriteRequest => ({
    operation: program.manifest.target.operation,
    record: d.mapped!,
    existing: d.found ?? undefined,
    // Per source key, not per version: a new version replaces an asynchronous proposal instead of adding one.
    idempotencyKey: idempotencyKey(`${d.record.flowId}:${d.record.sourceKey}`, 'write'),
  })
  const failed = (error: unknown): WriteResult => ({ status: 'failed', error }) as WriteResult
  if (run.batched) {
    try {
      return await stream.writeMany!(target.ctx, writing.map(request))
    } catch (error) {
      return writing.map(() => failed(error))
    }
  }
  const results: WriteResult[] = []
  for (const d of writing) {
    try {
      results.push(
        stream.write
          ? await stream.write(target.ctx, request(d))
          : (await stream.writeMany!(target.ctx, [request(d)]))[0]!,
      )
    } catch (error) {
      results.push(failed(error))
    }
  }
  return results
}

/** Notes one record's write result: written, or its end (awaiting, skipped) or failure. */
async function takeResult(
  run: DeliveryRun,
  d: Delivery,
  result: WriteResult | undefined,
  { index, size, startedAt }: { index: number; size: number; startedAt: number },
): Promise<void> {
  if (!result || result.status === 'failed') {
    d.failure = { error: result?.error ?? new Error(`writeMany returned no result for item ${index}`) }
    return
  }
  const batch = run.batched ? { batch: size } : {}
  d.step.add('written', { status: result.status, ...batch, ...summariseWrite(result) }, startedAt)
  if (result.status === 'pending') {
    await claimHeldRecord(run.program, run.source.ctx, d.record, d.step, d.progress)
    d.end = {
      patch: { state: 'awaiting', correlationId: result.correlationId },
      outcome: { status: 'awaiting' },
    }
  } else if (result.status === 'skipped') {
    d.end = { patch: { state: 'skipped', targetId: result.id ?? null }, outcome: { status: 'skipped' } }
  } else {
    d.written = { id: result.id, number: result.number, etag: result.etag }
  }
}
