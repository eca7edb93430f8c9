/**
 * Everything the emulator knows, in memory: the tenant, registered apps, companies with their
 * tables, behaviour settings, injected faults and request statistics.
 */
import { randomUUID } from 'node:crypto'
import { apiFields } from '../../api-fields.ts'
import { type Entity, Table } from './table.ts'

/** Entity sets stored per company, with the fields each indexes. */
export const storedSets: Record<string, readonly string[]> = {
  vendors: ['number', 'taxRegistrationNumber'],
  accounts: ['number'],
  dimensions: ['code'],
  dimensionValues: ['dimensionId', 'code'],
  purchaseInvoices: ['vendorInvoiceNumber', 'number', 'vendorNumber'],
  purchaseInvoiceLines: ['documentId'],
  purchaseCreditMemos: ['vendorCreditMemoNumber', 'number'],
  purchaseCreditMemoLines: ['documentId'],
  purchaseOrders: ['number'],
  purchaseOrderLines: ['documentId'],
  purchaseReceipts: ['number'],
  purchaseReceiptLines: ['documentId'],
  vendorPaymentJournals: ['code'],
  vendorPayments: ['journalId', 'documentNumber'],
  generalLedgerEntries: ['documentNumber'],
  paymentTerms: ['code'],
  currencies: ['code'],
  taxGroups: ['code'],
  taxAreas: ['code'],
  customers: ['number'],
  items: ['number'],
  unitsOfMeasure: ['code'],
  salesInvoices: ['number', 'externalDocumentNumber', 'customerNumber'],
  salesInvoiceLines: ['documentId'],
}

/** One company of the environment. */
export interface Company {
  id: string
  name: string
  tables: Record<string, Table>
  /** Last number used per number series. */
  series: Record<string, number>
  nextEntryNumber: number
}

/** An app registration (client) in the tenant. */
export interface App {
  clientId: string
  clientSecret: string
  /** On BC's "Microsoft Entra Applications" page with permissions; otherwise BC answers 401. */
  registeredInBc: boolean
  /** Admin consent granted in the tenant; otherwise token requests fail with AADSTS65001. */
  consented: boolean
}

/** Behaviour switches (configurable where the docs leave a gap). */
export interface Settings {
  accessTokenLifetimeSeconds: number
  defaultPageSize: number
  manualVendorNumbers: boolean
  /** Manual Nos. on the sales invoice number series (S-INV): a create may carry its own number. */
  manualSalesInvoiceNumbers: boolean
  vendorInvoiceNumberMandatory: boolean
  /** Allowed posting date range (inclusive); a closed period is a range that excludes it. */
  allowPostingFrom?: string
  allowPostingTo?: string
  /** `DEPARTMENT/SALES` style codes of blocked dimension values. */
  blockedDimensionValues: string[]
  /** `{ account, dimension, value }`: the value may not be used with that G/L account. */
  disallowedDimensions: { account: string; dimension: string; value: string }[]
  notificationDelayMs: number
  collectionThreshold: number
  handshakeTimeoutMs: number
  /** Multiplies the 1/1/1/10/100/1000-minute delivery retry schedule (tests compress it). */
  retryScale: number
  /** Whether each operation inside a $batch counts toward the rate budget (undocumented in BC). */
  countBatchOperations: boolean
  /**
   * VAT computed as BC computes it on a document: on the sum of the lines of each VAT identifier (tax
   * group), the rounding difference given to the group's last line — so the document's VAT may differ
   * by a unit from the sum of per-line roundings. Off by default: the emulator then rounds each line
   * on its own (data seeded and benchmarked before this switch keeps its figures).
   */
  vatPerIdentifier: boolean
}

/** Injected faults. */
export interface Faults {
  latencyMs: number
  errorRate: number
  errorStatus: number
  outageFrom?: string
  outageTo?: string
  /** Share of writes that commit and then answer 504, to exercise find-before-write. */
  commitThenTimeoutRate: number
}

/** Request counters for assertions and benchmarks. */
export interface Stats {
  requests: Record<string, number>
  batchOperations: Record<string, number>
  throttled: number
  notificationsSent: number
}

/** The emulator's whole state. */
export interface SandboxState {
  tenantId: string
  environments: string[]
  companies: Map<string, Company>
  apps: Map<string, App>
  settings: Settings
  faults: Faults
  stats: Stats
  now: () => Date
  lastStamp: number
  /** Called after every committed change of a stored entity. */
  onChange: (
    company: Company,
    entitySet: string,
    entity: Entity,
    change: 'created' | 'updated' | 'deleted',
  ) => void
}

/** Default settings: BC online's documented values. */
export function defaultSettings(): Settings {
  return {
    accessTokenLifetimeSeconds: 3600,
    defaultPageSize: 20_000,
    manualVendorNumbers: false,
    manualSalesInvoiceNumbers: false,
    vendorInvoiceNumberMandatory: true,
    blockedDimensionValues: [],
    disallowedDimensions: [],
    notificationDelayMs: 30_000,
    collectionThreshold: 1000,
    handshakeTimeoutMs: 5000,
    retryScale: 1,
    countBatchOperations: true,
    vatPerIdentifier: false,
  }
}

/** No faults. */
export function noFaults(): Faults {
  return { latencyMs: 0, errorRate: 0, errorStatus: 503, commitThenTimeoutRate: 0 }
}

/** Empty statistics. */
export function emptyStats(): Stats {
  return { requests: {}, batchOperations: {}, throttled: 0, notificationsSent: 0 }
}

/** A company with empty tables. */
export function newCompany(name: string, id: string = randomUUID()): Company {
  const tables: Record<string, Table> = {}
  for (const [set, indexed] of Object.entries(storedSets)) tables[set] = new Table(indexed)
  return { id, name, tables, series: {}, nextEntryNumber: 1 }
}

/** A strictly increasing UTC timestamp, so lastModifiedDateTime orders changes exactly. */
export function stamp(state: SandboxState): string {
  const t = Math.max(state.now().getTime(), state.lastStamp + 1)
  state.lastStamp = t
  return new Date(t).toISOString()
}

/** Today's date (UTC) as BC's `YYYY-MM-DD`. */
export function today(state: SandboxState): string {
  return state.now().toISOString().slice(0, 10)
}

/** The next number of a series: `PI-` + 100001, 100002… */
export function nextNumber(company: Company, prefix: string, start: number, width = 0): string {
  const n = (company.series[prefix] ?? start) + 1
  company.series[prefix] = n
  return `${prefix}${String(n).padStart(width, '0')}`
}

/** The weak ETag of an entity version, opaque like BC's. */
export function etagOf(entity: Entity): string {
  return `W/"${Buffer.from(`JzQ0OzE7${entity.id};${entity.version};00;'`).toString('base64')}"`
}

/** Records a change: bumps the version and lastModifiedDateTime, tells the webhook notifier. */
export function touch(
  state: SandboxState,
  company: Company,
  entitySet: string,
  entity: Entity,
  change: 'created' | 'updated' = 'updated',
): void {
  if (change === 'updated') entity.version += 1
  if (apiFields[entitySet]?.properties.lastModifiedDateTime) {
    company.tables[entitySet]?.update(entity, { lastModifiedDateTime: stamp(state) })
  }
  state.onChange(company, entitySet, entity, change)
}
