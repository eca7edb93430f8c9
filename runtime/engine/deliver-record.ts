import type { FoundRecord, WriteResult } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { idempotencyKey } from '../../core/record/record-id.ts'
import type { RecordState } from '../../core/record/record-state.ts'
import type { RecordProgress } from '../store/database.ts'
import { getRecord, persistStep } from '../store/records-store.ts'
import { acknowledgeOutcome } from './acknowledge-outcome.ts'
import { claimHeldRecord } from './claim-held-record.ts'
import type { EngineDeps } from './engine-deps.ts'
import type { FlowProgram } from './flow-program.ts'
import { LedgerStep } from './ledger-step.ts'
import { settleFailure } from './settle-failure.ts'
import { shadowEnd } from './shadow-end.ts'

/** What one delivery attempt ended in. */
export type DeliveryOutcome =
  | { status: 'delivered' | 'skipped' | 'awaiting' | 'failed' | 'settled' | 'shadowed' }
  | { status: 'retry'; delayMs: number; attempt: number }

/** Loads the program a record is delivered with (its own flow version, or a replay's). */
export type ProgramLoader = (tenantId: string, flowId: string, version: number) => Promise<FlowProgram>

async function resolveMatch(program: FlowProgram, mapped: Record<string, unknown>) {
  const values: Record<string, unknown> = {}
  for (const [field, read] of program.match ?? []) values[field] = await read(mapped)
  return values
}

/**
 * Delivers one record: filter, map, find-before-write when an earlier attempt may have written,
 * write, then-actions, acknowledgement — resuming whatever an earlier attempt already finished, so
 * that running it any number of times has the effect of running it once. Persists twice on the happy
 * path (before the first remote write, and at the end), each time state + ledger in one statement.
 */
export async function deliverRecord(
  deps: EngineDeps,
  loadProgram: ProgramLoader,
  recordIdValue: string,
): Promise<DeliveryOutcome> {
  const record = await getRecord(deps.db, recordIdValue)
  if (!record) return { status: 'settled' }
  // Still waiting for the target's answer: an ordered flow's job keeps holding its key meanwhile.
  if (record.state === 'awaiting') return { status: 'awaiting' }
  if (record.state !== 'queued' && record.state !== 'delivering') return { status: 'settled' }
  const program = await loadProgram(record.tenantId, record.flowId, record.flowVersion)
  const target = await deps.contexts.get(program.target.connectionId)
  const source = await deps.contexts.get(program.source.connectionId)
  const secrets = [...target.secrets, ...source.secrets]
  const attempt = record.attempts + 1
  const step = new LedgerStep(attempt, secrets)
  const progress: RecordProgress = { ...record.progress }
  let state: RecordState = record.state
  const persist = async (to: RecordState, patch: Parameters<typeof persistStep>[3] = {}) => {
    const ok = await persistStep(deps.db, record.id, state, { ...patch, state: to, progress }, step.take())
    if (!ok) throw new LostRaceError(record.id)
    state = to
  }

  try {
    step.add('attempt', { flowVersion: program.version })
    if (progress.remoteFailure) {
      const f = progress.remoteFailure as {
        kind?: string
        message?: string
        remoteCode?: string
        remoteMessage?: string
      }
      progress.remoteFailure = undefined
      // A transient outcome (e.g. no answer in time) retries the write; the same idempotency key replaces the proposal.
      const kind = f.kind === 'transient' || f.kind === 'rate_limited' ? 'transient' : 'rejected'
      throw new ConnectorError(kind, f.message ?? 'the target refused the record', {
        remoteCode: f.remoteCode,
        remoteMessage: f.remoteMessage,
      })
    }
    const lookup = deps.lookups.resolver(program)
    if (
      program.when &&
      !(await program.when.evaluate(record.source, { recordKey: record.sourceKey, lookup }))
    ) {
      step.add('skipped', { reason: 'the flow’s `when` filter is false for this record' })
      await persist('skipped', { attempts: attempt, error: null })
      return { status: 'skipped' }
    }
    const t0 = performance.now()
    const mapped = (await program.map.evaluate(record.source, {
      recordKey: record.sourceKey,
      lookup,
    })) as Record<string, unknown>
    step.add('mapped', { record: mapped }, t0)

    let written = progress.written
    let found: FoundRecord | null = null
    const mayHaveWritten = record.writeAttempted && !written
    const mustFind = program.manifest.target.operation !== 'create'
    // A shadow run always looks: "already in the target" is what the sample period must show.
    if (program.match && program.target.stream.find && (mayHaveWritten || mustFind || record.shadow)) {
      const t2 = performance.now()
      const match = await resolveMatch(program, mapped)
      found = await program.target.stream.find(target.ctx, match)
      step.add(found ? 'found' : 'not_found', { match, id: found?.id, number: found?.number }, t2)
      if (found && program.manifest.target.operation === 'create') {
        written = { id: found.id, number: found.number, etag: found.etag }
        progress.actionsDone = program.target.actions.filter(([, a]) => a.isDone?.(found!)).map(([n]) => n)
      }
    }

    if (record.shadow)
      return await shadowEnd(program, target.ctx, mapped, found, step, async (patch) => {
        await persist('shadowed', { attempts: attempt, mapped, error: null, ...patch })
      })

    if (!written) {
      // Persisted before the call: if we die during the write, the next attempt looks before writing again.
      await persist('delivering', { attempts: attempt, mapped, writeAttempted: true, error: null })
      const t3 = performance.now()
      const request = {
        operation: program.manifest.target.operation,
        record: mapped,
        existing: found ?? undefined,
        // Per source key, not per version: a new version replaces an asynchronous proposal instead of adding one.
        idempotencyKey: idempotencyKey(`${record.flowId}:${record.sourceKey}`, 'write'),
      }
      const result: WriteResult = program.target.stream.write
        ? await program.target.stream.write(target.ctx, request)
        : (await program.target.stream.writeMany!(target.ctx, [request]))[0]!
      if (result.status === 'failed') throw result.error
      step.add('written', { status: result.status, ...summariseWrite(result) }, t3)
      if (result.status === 'pending') {
        await claimHeldRecord(program, source.ctx, record, step, progress)
        await persist('awaiting', { correlationId: result.correlationId })
        return { status: 'awaiting' }
      }
      if (result.status === 'skipped') {
        await persist('skipped', { targetId: result.id ?? null })
        return { status: 'skipped' }
      }
      written = { id: result.id, number: result.number, etag: result.etag }
    } else if (state === 'queued') {
      await persist('delivering', { attempts: attempt, mapped })
    }
    progress.written = written

    for (const [name, action] of program.target.actions) {
      if (progress.actionsDone?.includes(name)) continue
      const t4 = performance.now()
      const done = await action.run(target.ctx, { id: written.id, etag: written.etag })
      written = { id: done.id, number: done.number ?? written.number }
      progress.written = written
      progress.actionsDone = [...(progress.actionsDone ?? []), name]
      step.add('action', { action: name, id: done.id, number: done.number, calls: done.calls }, t4)
    }

    if (program.acknowledge?.on.includes('success') && !progress.acknowledged) {
      await acknowledgeOutcome(
        program,
        source.ctx,
        record,
        { ok: true, id: written.id, number: written.number },
        step,
      )
      progress.acknowledged = true
    }
    step.add('delivered', { id: written.id, number: written.number })
    await persist('delivered', {
      attempts: attempt,
      targetId: written.id,
      targetNumber: written.number ?? null,
      error: null,
      ...(state === 'queued' ? { mapped } : {}),
    })
    return { status: 'delivered' }
  } catch (error) {
    if (error instanceof LostRaceError) return { status: 'settled' }
    return settleFailure(deps, program, record, {
      error,
      attempt,
      step,
      progress,
      state,
      sourceCtx: source.ctx,
    })
  }
}

/** Another worker changed the record under us; it owns the delivery now. */
class LostRaceError extends Error {
  constructor(id: string) {
    super(`record ${id} was moved by another worker`)
  }
}

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
