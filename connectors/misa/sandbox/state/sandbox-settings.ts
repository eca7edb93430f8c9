/** Behaviour switches of the MISA sandbox, for the places where the public docs leave a gap. */

/** What the sandbox does where MISA's behaviour is unknown or varies; changeable via `/__sandbox/settings`. */
export interface SandboxSettings {
  /** Token lifetime (MISA: about 12 h; one integrator saw 24 h). */
  tokenTtlMs: number
  /** How a bad or expired token is answered: HTTP 200 envelope (default), or 401/500 as some clients saw. */
  tokenErrorMode: 'envelope' | 'http401' | 'http500'
  /** Whether connect revokes the tenant's earlier tokens. */
  revokeOnConnect: boolean
  /** Strict mode: `take` > 100 is refused and tax codes are checksum-validated. */
  strict: boolean
  /** A resend of a known org_refid before generation replaces the proposal, or creates a duplicate. */
  resendMode: 'replace' | 'duplicate'
  /** Allowed difference between a line's vat_amount and amount × rate, in đồng. */
  vatToleranceVnd: number
  /** Allowed difference between header totals and the sum of the lines, in đồng. */
  totalToleranceVnd: number
  /** Process queued writes on a timer; when false only `POST /__sandbox/process` does. */
  autoProcess: boolean
  processDelayMs: number
  /** Delivery attempts per callback before it lands in the failure outbox. */
  callbackAttempts: number
  callbackRetryDelayMs: number
  /** Accepted proposals become generated vouchers at once (as if the accountant auto-generates). */
  autoGenerate: boolean
  /** Serve `/api/sync/actopen/*` like `/apir/...` instead of answering 404 (the CRM-doc trap). */
  apiSyncAlias: boolean
  /** `get_list_acc_obj_debt` returns payables as negative numbers (as in MISA's doc example). */
  payablesNegative: boolean
}

/** The defaults: MISA as the reference describes it. */
export function defaultSettings(): SandboxSettings {
  return {
    tokenTtlMs: 12 * 3600_000,
    tokenErrorMode: 'envelope',
    revokeOnConnect: false,
    strict: false,
    resendMode: 'replace',
    vatToleranceVnd: 1,
    totalToleranceVnd: 0,
    autoProcess: true,
    processDelayMs: 20,
    callbackAttempts: 3,
    callbackRetryDelayMs: 100,
    autoGenerate: false,
    apiSyncAlias: false,
    payablesNegative: true,
  }
}
