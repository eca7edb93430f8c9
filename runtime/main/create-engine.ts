import type { Connector, Logger } from '../../core/connector/connector.ts'
import type { EgressPolicy } from '../egress/egress-policy.ts'
import { createConnectionContexts, type FetchWrapper } from '../engine/connection-contexts.ts'
import { deliverBatch } from '../engine/deliver-batch.ts'
import { deliverRecord } from '../engine/deliver-record.ts'
import type { Dispatcher } from '../engine/dispatcher.ts'
import type { EngineDeps } from '../engine/engine-deps.ts'
import { flowPrograms } from '../engine/flow-program.ts'
import { createLookupTables, type MappingTableSource } from '../engine/lookup-tables.ts'
import type { SecretBox } from '../secrets/secret-box.ts'
import type { Db } from '../store/database.ts'

/** Options for {@link createEngine}. */
export interface EngineOptions {
  db: Db
  box: SecretBox
  registry: Record<string, Connector>
  log: Logger
  fetch?: typeof fetch
  /** Where connections may send requests (default: from the environment). */
  egress?: EgressPolicy
  wrapFetch?: FetchWrapper
  mappingTables?: MappingTableSource
  /** Builds the dispatcher once `deliver` exists (inline for one-shot runs, the queue for services). */
  dispatcher: (
    deliver: (recordId: string) => ReturnType<typeof deliverRecord>,
    deliverMany: (recordIds: readonly string[]) => ReturnType<typeof deliverBatch>,
  ) => Dispatcher
}

/** Wires the engine's parts: connection contexts, lookups, compiled flow programs, delivery. */
export function createEngine(options: EngineOptions) {
  const contexts = createConnectionContexts(options)
  const deps: EngineDeps = {
    db: options.db,
    registry: options.registry,
    contexts,
    log: options.log,
    lookups: createLookupTables({ contexts, mappingTables: options.mappingTables }),
    dispatcher: undefined as unknown as Dispatcher,
  }
  const programs = flowPrograms(deps)
  const deliver = (recordId: string) => deliverRecord(deps, programs, recordId)
  const deliverMany = (recordIds: readonly string[]) => deliverBatch(deps, programs, recordIds)
  deps.dispatcher = options.dispatcher(deliver, deliverMany)
  return { deps, programs, deliver, deliverMany }
}
