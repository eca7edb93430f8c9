/** Everything the MISA sandbox remembers, in memory: tenants, tokens, proposals, callbacks, faults. */
import type { ChartRegime } from '../../../../core/vietnam/chart-presets.ts'
import { DictionaryStore } from './dictionary-store.ts'
import { defaultSettings, type SandboxSettings } from './sandbox-settings.ts'

/** A voucher proposal as AMIS holds it ("đề nghị sinh chứng từ"). */
export interface Proposal {
  orgRefid: string
  voucherType: number
  payload: Record<string, unknown>
  status: 'accepted' | 'failed' | 'generated' | 'deleted'
  error?: { code: string; message: string }
  sessionId: string
  receivedAt: string
  /** Set when generated: the AMIS voucher number. */
  refno?: string
}

/** One per-item result, as carried in a callback's `data` string. */
export interface ResultRow {
  org_refid: string
  success: boolean
  error_code: string | null
  error_message: string
  session_id: string
  error_call_back_message: string | null
  voucher_type?: number
  dictionary_type?: number
}

/** A result whose callback could not be delivered, readable through get_call_back_detail_error. */
export interface OutboxRow extends ResultRow {
  data_type: number
  created_date: string
  createdMs: number
}

/** A generated voucher's balanced postings. */
export interface LedgerLine {
  refno: string
  orgRefid: string
  account: string
  debit: number
  credit: number
  objectCode: string | null
}

/** An AMIS company connected to one partner app. */
export interface Tenant {
  appId: string
  accessCode: string
  orgCompanyCode: string
  tenantCode: string
  appName: string
  company: { company_name: string; company_address: string; company_tax_code: string }
  callbackUrl: string | null
  disconnected: boolean
  dbLinked: boolean
  /** Vouchers posted on or before this Vietnam date (yyyy-MM-dd) fail. */
  lockedThrough: string | null
  regime: ChartRegime
  /** The company's own branch (org unit type 1). */
  branchId: string
  dictionaries: DictionaryStore
  /** Keyed by org_refid (or `org_refid#n` in duplicate resend mode). */
  proposals: Map<string, Proposal>
  ledger: LedgerLine[]
  outbox: OutboxRow[]
  refnoSeq: number
}

/** A queued asynchronous operation. */
export interface Job {
  kind: 'save' | 'save_dictionary' | 'delete'
  tenant: Tenant
  sessionId: string
  vouchers: Record<string, unknown>[]
  dictionary: Record<string, unknown>[]
}

/** A one-shot fault on the next `count` calls of a function (or all functions with `fn: '*'`). */
export interface Fault {
  fn: string
  mode: 'http500' | 'http401' | 'timeout' | 'expiredToken' | 'exception' | 'invalidParam'
  count: number
  delayMs: number
}

/** How the next `count` callbacks go wrong: dropped in transit, tampered, or lost after MISA thinks it delivered. */
export interface CallbackFault {
  mode: 'drop' | 'tamper' | 'lose'
  count: number
}

/** A callback delivery as the sandbox attempted it. */
export interface DeliveryRecord {
  at: string
  url: string | null
  dataType: number
  attempts: number
  delivered: boolean
  fault?: CallbackFault['mode']
  body: Record<string, unknown>
}

/** The whole sandbox state. */
export interface SandboxState {
  settings: SandboxSettings
  tenants: Map<string, Tenant>
  tokens: Map<string, { tenant: Tenant; expiresMs: number }>
  queue: Job[]
  faults: Fault[]
  callbackFaults: CallbackFault[]
  deliveries: DeliveryRecord[]
  stats: Map<string, number>
  clockOffsetMs: number
  now: () => Date
}

/** The key a tenant is found by: app and company code. */
export function tenantKey(appId: string, orgCompanyCode: string): string {
  return `${appId.toLowerCase()}|${orgCompanyCode.toLowerCase()}`
}

/** Creates an empty state on the given base clock (the control API may shift it). */
export function createState(baseNow: () => Date): SandboxState {
  const state: SandboxState = {
    settings: defaultSettings(),
    tenants: new Map(),
    tokens: new Map(),
    queue: [],
    faults: [],
    callbackFaults: [],
    deliveries: [],
    stats: new Map(),
    clockOffsetMs: 0,
    now: () => new Date(baseNow().getTime() + state.clockOffsetMs),
  }
  return state
}

/** A tenant with no master data yet. */
export function newTenant(
  fields: Pick<Tenant, 'appId' | 'accessCode' | 'orgCompanyCode' | 'appName' | 'company' | 'regime'> &
    Partial<Tenant>,
): Tenant {
  return {
    tenantCode: fields.orgCompanyCode.slice(0, 8).toUpperCase(),
    callbackUrl: null,
    disconnected: false,
    dbLinked: true,
    lockedThrough: null,
    branchId: crypto.randomUUID(),
    dictionaries: new DictionaryStore(),
    proposals: new Map(),
    ledger: [],
    outbox: [],
    refnoSeq: 0,
    ...fields,
  }
}
