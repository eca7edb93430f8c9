import type { FlowProgram } from './flow-program.ts'

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
