import { sql } from 'kysely'
import { assertRecordTransition, type RecordState } from '../../core/record/record-state.ts'
import type { Db } from './database.ts'
import type { LedgerEvent } from './ledger-store.ts'
import type { RecordPatch } from './records-store.ts'

/** One record's step in {@link persistSteps}: its guard state, its new fields, its ledger events. */
export interface RecordStep {
  id: string
  from: RecordState
  patch: RecordPatch
  events: LedgerEvent[]
}

/**
 * The guarded persist, the only one: applies the steps of one or many records in ONE statement. Each
 * record changes only if it is still in its `from` state (optimistic: another worker that moved it
 * first wins and nothing of this step is kept), and its ledger events are written only when it
 * changed, in the same commit. A field left out of a patch keeps its value. Returns the ids that changed.
 */
export async function persistSteps(db: Db, steps: readonly RecordStep[]): Promise<Set<string>> {
  if (steps.length === 0) return new Set()
  for (const s of steps) if (s.patch.state) assertRecordTransition(s.from, s.patch.state)
  const rows = steps.map((s) => ({ id: s.id, from_state: s.from, patch: s.patch }))
  let ord = 0
  const events = steps.flatMap((s) =>
    s.events.map((e) => ({
      ord: ord++,
      record_id: s.id,
      type: e.type,
      attempt: e.attempt,
      duration_ms: e.durationMs ?? null,
      data: e.data,
    })),
  )
  const has = (field: keyof RecordPatch) => sql`v.patch ? ${sql.lit(field)}`
  const changed = await sql<{ id: string }>`
    with v as (
      select * from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as v(id uuid, from_state text, patch jsonb)
    ), u as (
      update records r set
        state = coalesce(v.patch->>'state', r.state),
        attempts = coalesce((v.patch->>'attempts')::int, r.attempts),
        write_attempted = coalesce((v.patch->>'writeAttempted')::boolean, r.write_attempted),
        flow_version = coalesce((v.patch->>'flowVersion')::int, r.flow_version),
        shadow = coalesce((v.patch->>'shadow')::boolean, r.shadow),
        mapped = case when ${has('mapped')} then nullif(v.patch->'mapped', 'null'::jsonb) else r.mapped end,
        progress = case when ${has('progress')} then v.patch->'progress' else r.progress end,
        error = case when ${has('error')} then nullif(v.patch->'error', 'null'::jsonb) else r.error end,
        target_id = case when ${has('targetId')} then v.patch->>'targetId' else r.target_id end,
        target_number = case when ${has('targetNumber')} then v.patch->>'targetNumber' else r.target_number end,
        correlation_id = case when ${has('correlationId')} then v.patch->>'correlationId' else r.correlation_id end,
        updated_at = now()
      from v
      where r.id = v.id and r.state = v.from_state
      returning r.id
    ), e as (
      insert into record_events (record_id, type, attempt, duration_ms, data)
      select x.record_id, x.type, x.attempt, x.duration_ms, x.data
      from jsonb_to_recordset(${JSON.stringify(events)}::jsonb)
        as x(ord int, record_id uuid, type text, attempt int, duration_ms int, data jsonb)
      join u on u.id = x.record_id
      order by x.ord
    )
    select id from u`.execute(db)
  return new Set(changed.rows.map((r) => r.id))
}

/** {@link persistSteps} for one record: true when it was still in `from` and moved. */
export async function persistStep(
  db: Db,
  id: string,
  from: RecordState,
  patch: RecordPatch,
  events: LedgerEvent[],
): Promise<boolean> {
  return (await persistSteps(db, [{ id, from, patch, events }])).has(id)
}
