import type { Connector, Logger } from '../../core/connector/connector.ts'
import type { MappingPool } from '../mapping-pool/mapping-pool.ts'
import type { Db } from '../store/database.ts'
import type { ConnectionContexts } from './connection-contexts.ts'
import type { DeliveryStepName } from './deliver/run-sequence.ts'
import type { Dispatcher } from './dispatcher.ts'
import type { LookupTables } from './lookup-tables.ts'

/** What delivery needs: everything the engine has but the dispatcher, which is built on delivery. */
export interface DeliveryDeps {
  db: Db
  /** The connector registry (tests add the in-memory connector to it). */
  registry: Record<string, Connector>
  contexts: ConnectionContexts
  lookups: LookupTables
  log: Logger
  /** Where tenant JSONata runs (default: this process's pool, see processMappingPool). */
  mappingPool?: MappingPool
  /** Sees each delivery step as it starts, with the number of records it carries (tests record the order). */
  traceStep?: (step: DeliveryStepName, records: number) => void
}

/** What the engine needs from its surroundings; built once by the composition root. */
export interface EngineDeps extends DeliveryDeps {
  dispatcher: Dispatcher
}
