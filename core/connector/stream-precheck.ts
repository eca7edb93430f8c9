/**
 * What a target stream can tell about a record before anything is written (part of the connector
 * contract, see connector.ts). Shadow runs ask it so the sample period shows what the target would
 * refuse — an unknown vendor, an account that cannot take postings, a dimension value that does not
 * exist — with the target's own words, while writing nothing.
 */
import type { ConnectorContext } from './connector.ts'

/** One reason the target would refuse a record. */
export interface PrecheckProblem {
  /** JSON pointer into the mapped record to the field at fault (`''` for the record as a whole). */
  pointer: string
  /** The target system's own message where it has one (the one a write would get). */
  message: string
}

/**
 * Checks a mapped record against the target by reading only. Answers every problem it finds (an empty
 * list when it finds none); a failure to read is thrown as a ConnectorError like any other call.
 * Checks the system's API cannot make without writing are not made: the connector's README says which.
 */
export type StreamPrecheck<Config = any> = (
  ctx: ConnectorContext<Config>,
  record: Record<string, unknown>,
) => Promise<PrecheckProblem[]>
