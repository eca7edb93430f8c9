import type { FlowProgram } from '../flow-program.ts'
import { type DeliveryRun, forEachMoving } from './delivery.ts'

async function resolveMatch(program: FlowProgram, mapped: Record<string, unknown>) {
  const values: Record<string, unknown> = {}
  for (const [field, read] of program.match ?? []) values[field] = await read(mapped)
  return values
}

/**
 * Step 2: looks the record up in the target by the flow's `match` when the write needs it (an update
 * or upsert), when an earlier attempt may have written it, or in shadow (where "already in the target"
 * is what the sample period must show). A create found already written is taken as written.
 */
export async function findStep(run: DeliveryRun): Promise<void> {
  const { program } = run
  const find = program.target.stream.find
  if (!program.match || !find) return
  const mustFind = program.manifest.target.operation !== 'create'
  await forEachMoving(run, async (d) => {
    const mayHaveWritten = d.record.writeAttempted && !d.written
    if (!mayHaveWritten && !mustFind && !d.record.shadow) return
    const t0 = performance.now()
    const match = await resolveMatch(program, d.mapped!)
    const found = await find(run.target.ctx, match)
    d.found = found
    d.step.add(found ? 'found' : 'not_found', { match, id: found?.id, number: found?.number }, t0)
    if (found && !mustFind) {
      d.written = { id: found.id, number: found.number, etag: found.etag }
      d.progress.actionsDone = program.target.actions.filter(([, a]) => a.isDone?.(found)).map(([n]) => n)
    }
  })
}
