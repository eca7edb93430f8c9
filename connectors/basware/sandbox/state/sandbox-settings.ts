/**
 * Behaviours of the Basware sandbox that the public documentation leaves open, or that tests and
 * benchmarks need to vary. Every default is the most plausible reading of the reference; the README
 * lists which ones are guesses. Changed at run time through `POST /__sandbox/settings`.
 */

/** How the sandbox encodes `X-BWAPI-Signature-256` (the real format is not published). */
export type SignatureFormat = 'hex' | 'sha256=hex' | 'base64' | 'sha256=base64'

/** Tunable sandbox behaviour. */
export interface SandboxSettings {
  /** Lifetime of issued access tokens (`expires_in`). */
  tokenTtlSeconds: number
  signatureFormat: SignatureFormat
  /** Deliver every notification twice with the same taskId (idempotency tests). */
  duplicateWebhooks: boolean
  /** Silently drop this many upcoming notifications. */
  dropWebhooks: number
  /** How long an import stays `InProgress` in requestStatus before its outcome is known. */
  importDelayMs: number
  /** A continuation token sent with another query: `reject` answers 400, `restart` serves page 1. */
  tokenMismatch: 'reject' | 'restart'
  /** Total coding rows one accountingDocuments page may hold: pages get shorter than pageSize. */
  codingRowBudget: number
  /** A transfer response re-using an externalCode: `echo` answers 200 without effect, `reject` 400. */
  reusedResponseCode: 'echo' | 'reject'
  /** Delay every API answer by this much (slow-response tests). */
  latencyMs: number
  /** Basware's tenant switch for the invoice status lookup: off, it answers 404 to everything. */
  statusLookupEnabled: boolean
}

/** The defaults a fresh sandbox starts with. */
export function defaultSettings(): SandboxSettings {
  return {
    tokenTtlSeconds: 3600,
    signatureFormat: 'sha256=hex',
    duplicateWebhooks: false,
    dropWebhooks: 0,
    importDelayMs: 100,
    tokenMismatch: 'reject',
    codingRowBudget: 2000,
    reusedResponseCode: 'echo',
    latencyMs: 0,
    statusLookupEnabled: true,
  }
}
