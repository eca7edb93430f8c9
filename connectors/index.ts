/**
 * The connector registry: one explicit object. Valid connector ids are its keys; nothing registers
 * itself by import side effect.
 */
import type { Connector } from '../core/connector/connector.ts'
import { basware } from './basware/index.ts'
import { businessCentral } from './business-central/index.ts'
import { misa } from './misa/index.ts'

export const connectors = {
  'business-central': businessCentral,
  basware,
  misa,
} satisfies Record<string, Connector>

/** A connector id known to this build. */
export type ConnectorId = keyof typeof connectors
