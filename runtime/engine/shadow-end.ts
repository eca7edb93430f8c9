import type { ConnectorContext, FoundRecord } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import type { DeliveryOutcome } from './deliver/delivery.ts'
import type { FlowProgram } from './flow-program.ts'
import type { LedgerStep } from './ledger-step.ts'

/**
 * Ends the delivery of a shadow record where a live one would write: asks the target what it would
 * refuse (its `precheck`, reading only) and records what would be written and why — a create, or a
 * link to the document already in the target — as a `would_write` ledger event, with the record
 * `shadowed`. A refusal fails the record with the target's words, as the write would have; nothing
 * is written, no action runs, the source is neither acknowledged nor claimed.
 */
export async function shadowEnd(
  program: FlowProgram,
  targetCtx: ConnectorContext,
  mapped: Record<string, unknown>,
  found: FoundRecord | null,
  step: LedgerStep,
  persist: (patch: { targetId: string | null; targetNumber: string | null }) => Promise<void>,
): Promise<DeliveryOutcome> {
  const precheck = program.target.stream.precheck
  const t0 = performance.now()
  const problems = precheck ? await precheck(targetCtx, mapped) : []
  if (precheck) step.add('prechecked', { problems }, t0)
  if (problems.length > 0) {
    throw new ConnectorError('rejected', problems.map((p) => p.message).join(' '), {
      field: problems[0]!.pointer,
      remoteMessage: problems[0]!.message,
    })
  }
  const operation = program.manifest.target.operation
  const link = Boolean(found) && operation === 'create'
  step.add('would_write', {
    operation: link ? 'link' : operation,
    reason: link
      ? `already in the target as ${found!.number ?? found!.id}: going live links it instead of writing it again`
      : found
        ? `the target holds it as ${found.number ?? found.id}: going live would ${operation} it`
        : `not in the target: going live would ${operation} it`,
    id: found?.id,
    number: found?.number,
    actions: program.target.actions.map(([name]) => name),
    acknowledge: program.acknowledge ? program.acknowledge.on : undefined,
  })
  await persist({ targetId: found?.id ?? null, targetNumber: found?.number ?? null })
  return { status: 'shadowed' }
}
