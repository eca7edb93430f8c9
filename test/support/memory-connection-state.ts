/** Connector tests keep connection state in memory, as a check before saving does. */
export { memoryConnectionState } from '../../runtime/engine/memory-connection-state.ts'
