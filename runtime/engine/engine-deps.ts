import type { Connector, Logger } from '../../core/connector/connector.ts'
import type { Db } from '../store/database.ts'
import type { ConnectionContexts } from './connection-contexts.ts'
import type { Dispatcher } from './dispatcher.ts'
import type { LookupTables } from './lookup-tables.ts'

/** What the engine needs from its surroundings; built once by the composition root. */
export interface EngineDeps {
  db: Db
  /** The connector registry (tests add the in-memory connector to it). */
  registry: Record<string, Connector>
  contexts: ConnectionContexts
  dispatcher: Dispatcher
  lookups: LookupTables
  log: Logger
}
