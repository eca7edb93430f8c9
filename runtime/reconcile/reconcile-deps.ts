import type { Logger } from '../../core/connector/connector.ts'
import type { ConnectionContexts } from '../engine/connection-contexts.ts'
import type { FlowProgram } from '../engine/flow-program.ts'
import type { LookupTables } from '../engine/lookup-tables.ts'
import type { Db } from '../store/database.ts'

/** Loads the compiled program of a flow version (the engine's cache). */
export type FlowProgramLoader = (tenantId: string, flowId: string, version: number) => Promise<FlowProgram>

/** What reconciliation needs from the engine and the store; built by the composition root. */
export interface ReconcileDeps {
  db: Db
  contexts: ConnectionContexts
  lookups: LookupTables
  programs: FlowProgramLoader
  log: Logger
}
