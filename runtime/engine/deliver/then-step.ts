import { type DeliveryRun, forEachMoving } from './delivery.ts'

/** Step 4: the target stream's `then` actions (post, send…), each once: those done earlier are skipped. */
export async function thenStep(run: DeliveryRun): Promise<void> {
  const actions = run.program.target.actions
  if (actions.length === 0) return
  await forEachMoving(run, async (d) => {
    let written = d.written!
    for (const [name, action] of actions) {
      if (d.progress.actionsDone?.includes(name)) continue
      const t0 = performance.now()
      const done = await action.run(run.target.ctx, { id: written.id, etag: written.etag })
      written = { id: done.id, number: done.number ?? written.number }
      d.written = written
      d.progress.written = written
      d.progress.actionsDone = [...(d.progress.actionsDone ?? []), name]
      d.step.add('action', { action: name, id: done.id, number: done.number, calls: done.calls }, t0)
    }
  })
}
