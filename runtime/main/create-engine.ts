import type { Connector, Logger } from '../../core/connector/connector.ts'
import type { EgressPolicy } from '../egress/egress-policy.ts'
import { createConnectionContexts, type FetchWrapper } from '../engine/connection-contexts.ts'
import { deliverBatch } from '../engine/deliver/deliver-batch.ts'
import { deliverRecord } from '../engine/deliver/deliver-record.ts'
import type { Dispatcher } from '../engine/dispatcher.ts'
import type { DeliveryDeps, EngineDeps } from '../engine/engine-deps.ts'
import { flowPrograms } from '../engine/flow-program.ts'
import { createLookupTables } from '../engine/lookup-tables.ts'
import type { SecretBox } from '../secrets/secret-box.ts'
import type { Db } from '../store/database.ts'
import type { MappingTableSource } from '../store/mapping-rows-store.ts'

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
    deliver: (recordId: string, signal?: AbortSignal) => ReturnType<typeof deliverRecord>,
    deliverMany: (recordIds: readonly string[], signal?: AbortSignal) => ReturnType<typeof deliverBatch>,
  ) => Dispatcher
}

/** Wires the engine's parts: connection contexts, lookups, compiled flow programs, delivery. */
export function createEngine(options: EngineOptions) {
  const contexts = createConnectionContexts(options)
  // In order: delivery needs no dispatcher, the dispatcher is built on delivery, the engine on both.
  const base: DeliveryDeps = {
    db: options.db,
    registry: options.registry,
    contexts,
    log: options.log,
    lookups: createLookupTables({ contexts, mappingTables: options.mappingTables }),
  }
  const programs = flowPrograms(base)
  const deliver = (recordId: string, signal?: AbortSignal) => deliverRecord(base, programs, recordId, signal)
  const deliverMany = (recordIds: readonly string[], signal?: AbortSignal) =>
    deliverBatch(base, programs, recordIds, signal)
  const deps: EngineDeps = Object.assign(base, { dispatcher: options.dispatcher(deliver, deliverMany) })
  return { deps, programs, deliver, deliverMany }
}
