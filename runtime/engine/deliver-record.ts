import type { ConnectorContext, FoundRecord, WriteResult } from '../../core/connector/connector.ts'
import { ConnectorError, isConnectorError } from '../../core/connector/connector-error.ts'
import { isMappingError } from '../../core/mapping/mapping-error.ts'
import { idempotencyKey } from '../../core/record/record-id.ts'
import type { RecordState } from '../../core/record/record-state.ts'
import type { RecordProgress } from '../store/database.ts'
import { getRecord, type LedgerEvent, persistStep, type RecordRow } from '../store/records-store.ts'
import { acknowledgeOutcome } from './acknowledge-outcome.ts'
import { describeFailure } from './describe-failure.ts'
import type { EngineDeps } from './engine-deps.ts'
import type { FlowProgram } from './flow-program.ts'
import { redactForLedger } from './redact-for-ledger.ts'
import { retryDelay } from './retry-delay.ts'

/** What one delivery attempt ended in. */
export type DeliveryOutcome =
  | { status: 'delivered' | 'skipped' | 'awaiting' | 'failed' | 'settled' }
  | { status: 'retry'; delayMs: number; attempt: number }

/** Loads the program a record is delivered with (its own flow version, or a replay's). */
export type ProgramLoader = (tenantId: string, flowId: string, version: number) => Promise<FlowProgram>

class Step {
  readonly events: LedgerEvent[] = []
  constructor(
    readonly attempt: number,
    private readonly secrets: readonly string[],
  ) {}
  add(type: string, data: Record<string, unknown>, startedAt?: number) {
    this.events.push({
      type,
      attempt: this.attempt,
      durationMs: startedAt === undefined ? undefined : Math.round(performance.now() - startedAt),
      data: redactForLedger(data, this.secrets),
    })
  }
  take(): LedgerEvent[] {
    return this.events.splice(0)
  }
}

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
  if (record.state !== 'queued' && record.state !== 'delivering') return { status: 'settled' }
  const program = await loadProgram(record.tenantId, record.flowId, record.flowVersion)
  const target = await deps.contexts.get(program.target.connectionId)
  const source = await deps.contexts.get(program.source.connectionId)
  const secrets = [...target.secrets, ...source.secrets]
  const attempt = record.attempts + 1
  const step = new Step(attempt, secrets)
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
    if (program.match && program.target.stream.find && (mayHaveWritten || mustFind)) {
      const t2 = performance.now()
      const match = await resolveMatch(program, mapped)
      found = await program.target.stream.find(target.ctx, match)
      step.add(found ? 'found' : 'not_found', { match, id: found?.id, number: found?.number }, t2)
      if (found && program.manifest.target.operation === 'create') {
        written = { id: found.id, number: found.number, etag: found.etag }
        progress.actionsDone = program.target.actions.filter(([, a]) => a.isDone?.(found!)).map(([n]) => n)
      }
    }

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

function summariseWrite(result: WriteResult): Record<string, unknown> {
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
 * Claims a record Ferry holds past its first attempt (retrying, awaiting an outcome, parked). A record
 * delivered at once is never claimed: its acknowledgement already ends it at the source and the ledger
 * prevents a second delivery, so claiming it would only cost one more source call per record.
 * Best effort: a claim that fails is noted and the delivery goes on.
 */
async function claimHeldRecord(
  program: FlowProgram,
  sourceCtx: ConnectorContext,
  record: RecordRow,
  step: Step,
  progress: RecordProgress,
): Promise<void> {
  const claim = program.source.stream.claim
  if (!program.manifest.source.claim || !claim || progress.claimed) return
  const t0 = performance.now()
  try {
    step.add('claimed', { result: await claim(sourceCtx, record.source) }, t0)
    progress.claimed = true
  } catch (error) {
    step.add('claim_failed', { error: describeFailure(error) }, t0)
  }
}

async function settleFailure(
  deps: EngineDeps,
  program: FlowProgram,
  record: RecordRow,
  f: {
    error: unknown
    attempt: number
    step: Step
    progress: RecordProgress
    state: RecordState
    sourceCtx: ConnectorContext
  },
): Promise<DeliveryOutcome> {
  const failure = describeFailure(f.error)
  const retryable = isConnectorError(f.error)
    ? f.error.retryable || f.error.kind === 'conflict'
    : !isMappingError(f.error) && failure.kind === 'internal'
  let from = f.state
  if (retryable && f.attempt <= program.retry.limit) {
    const delayMs = retryDelay(
      program.retry,
      f.attempt,
      isConnectorError(f.error) ? f.error.retryAfterMs : undefined,
    )
    f.step.add('retry', { error: failure, delayMs })
    await claimHeldRecord(program, f.sourceCtx, record, f.step, f.progress)
    const patch = { state: 'delivering' as const, attempts: f.attempt, error: failure, progress: f.progress }
    const ok = await persistStep(deps.db, record.id, from, patch, f.step.take())
    return ok ? { status: 'retry', delayMs, attempt: f.attempt } : { status: 'settled' }
  }
  if (from === 'queued') {
    // A record fails from `delivering` only (the state table); mapping failed before it got there.
    if (!(await persistStep(deps.db, record.id, from, { state: 'delivering' }, [])))
      return { status: 'settled' }
    from = 'delivering'
  }
  f.step.add('failed', { error: failure, gaveUp: retryable })
  if (program.acknowledge?.on.includes('failure') && !f.progress.acknowledged) {
    try {
      await acknowledgeOutcome(
        program,
        f.sourceCtx,
        record,
        {
          ok: false,
          code: failure.remoteCode ?? failure.code,
          message: failure.remoteMessage ?? failure.message,
        },
        f.step,
      )
      f.progress.acknowledged = true
    } catch (ackError) {
      f.step.add('acknowledge_failed', { error: describeFailure(ackError) })
    }
  }
  // Parked without telling the source: claim it, so it is not handed to anyone else meanwhile.
  if (!f.progress.acknowledged) await claimHeldRecord(program, f.sourceCtx, record, f.step, f.progress)
  const ok = await persistStep(
    deps.db,
    record.id,
    from,
    { state: 'failed', attempts: f.attempt, error: failure, progress: f.progress },
    f.step.take(),
  )
  return { status: ok ? 'failed' : 'settled' }
}
