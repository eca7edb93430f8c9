/**
 * The parts of one running Basware sandbox that its route modules share.
 */

import type { TokenIssuer } from '../auth/token-issuer.ts'
import type { FaultInjector } from '../control/fault-injector.ts'
import type { RequestStats } from '../control/request-stats.ts'
import type { ContinuationTokens } from '../protocol/continuation-tokens.ts'
import type { ExportObjects } from '../protocol/export-objects.ts'
import type { RequestLog } from '../rules/request-log.ts'
import type { Notifier } from '../webhooks/notifier.ts'
import type { DocumentStore } from './document-store.ts'
import type { MasterDataStore } from './master-data-store.ts'
import type { SandboxSettings } from './sandbox-settings.ts'

/** Shared state of one sandbox instance. */
export interface SandboxCore {
  /** The sandbox's base URL without a trailing slash (redirects and token issuer use it). */
  baseUrl: string
  settings: SandboxSettings
  now: () => Date
  stats: RequestStats
  tokens: TokenIssuer
  documents: DocumentStore
  continuation: ContinuationTokens
  exports: ExportObjects
  masterData: MasterDataStore
  requests: RequestLog
  notifier: Notifier
  faults: FaultInjector
}

/** The sandbox clock as an ISO timestamp (Basware's `lastUpdated` format). */
export function isoNow(core: Pick<SandboxCore, 'now'>): string {
  return core.now().toISOString()
}
