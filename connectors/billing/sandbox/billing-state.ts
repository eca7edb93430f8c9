/**
 * The billing system's data: customers, invoices (draft → finalized → paid | void), the OAuth
 * clients and their tokens, webhook endpoints and the events sent to them. In memory; a sandbox
 * starts fresh.
 */
import { randomUUID } from 'node:crypto'

/** A billing customer, with the number it has in the ERP. */
export interface Customer {
  id: string
  name: string
  /** The ERP's customer number (BC customer No.), set when the customer is linked. */
  erpNumber: string | null
  country: string
  email: string
}

/** One invoice line: a subscription charge or a one-off. */
export interface InvoiceLine {
  id: string
  description: string
  /** The billing system's product code (e.g. a Microsoft offer id). */
  productCode: string | null
  /** The ERP item this product is linked to; null for lines without a linked product. */
  erpItemNumber: string | null
  quantity: number
  unitPrice: number
  amount: number
  taxable: boolean
  period: { start: string; end: string } | null
}

/** An invoice as the API shows it. */
export interface Invoice {
  id: string
  number: string
  status: 'draft' | 'finalized' | 'paid' | 'void'
  customer: Customer
  currency: string
  issueDate: string
  dueDate: string
  lines: InvoiceLine[]
  subtotal: number
  taxTotal: number
  total: number
  updatedAt: string
}

/** A registered webhook endpoint. */
export interface Endpoint {
  url: string
  secret: string
  verified: boolean
}

/** An event and what became of its deliveries. */
export interface SentEvent {
  id: string
  type: string
  created: string
  payload: Record<string, unknown>
  attempts: { at: string; status: number }[]
}

/** The sandbox's state. */
export interface BillingState {
  now: () => Date
  clients: Map<string, string>
  tokens: Map<string, number>
  customers: Map<string, Customer>
  invoices: Map<string, Invoice>
  endpoints: Endpoint[]
  events: SentEvent[]
  /** Requests per token in the current minute, for the 429 budget. */
  requests: { windowStart: number; count: number }
  faults: { rateLimitPerMinute?: number; failNextWith?: number }
  nextInvoice: number
}

/** The demo client's credentials. */
export const DEMO_CLIENT = { clientId: 'ferry-demo', clientSecret: 'billing-demo-secret-7Qx' }

/** An empty state with the demo client registered. */
export function createBillingState(now: () => Date): BillingState {
  return {
    now,
    clients: new Map([[DEMO_CLIENT.clientId, DEMO_CLIENT.clientSecret]]),
    tokens: new Map(),
    customers: new Map(),
    invoices: new Map(),
    endpoints: [],
    events: [],
    requests: { windowStart: 0, count: 0 },
    faults: {},
    nextInvoice: 10001,
  }
}

/** Issues an access token valid for an hour. */
export function issueToken(state: BillingState): { token: string; expiresIn: number } {
  const token = `bt_${randomUUID().replaceAll('-', '')}`
  state.tokens.set(token, state.now().getTime() + 3_600_000)
  return { token, expiresIn: 3600 }
}

const round = (n: number) => Math.round(n * 100) / 100

/** Creates an invoice (draft) for a customer with the given lines; totals are computed. */
export function createInvoice(
  state: BillingState,
  customerId: string,
  lines: Omit<InvoiceLine, 'id' | 'amount'>[],
  options: { issueDate?: string; currency?: string } = {},
): Invoice {
  const customer = state.customers.get(customerId)
  if (!customer) throw new Error(`no customer ${customerId}`)
  const issue = options.issueDate ?? state.now().toISOString().slice(0, 10)
  const due = new Date(Date.parse(`${issue}T00:00:00Z`) + 30 * 86_400_000).toISOString().slice(0, 10)
  const priced = lines.map((l, i) => ({
    ...l,
    id: `li_${state.nextInvoice}_${i + 1}`,
    amount: round(l.quantity * l.unitPrice),
  }))
  const subtotal = round(priced.reduce((s, l) => s + l.amount, 0))
  const n = state.nextInvoice++
  const invoice: Invoice = {
    id: `inv_${String(n).padStart(6, '0')}`,
    number: `W365-${n}`,
    status: 'draft',
    customer: { ...customer },
    currency: options.currency ?? (customer.country === 'US' ? 'USD' : 'EUR'),
    issueDate: issue,
    dueDate: due,
    lines: priced,
    subtotal,
    taxTotal: 0,
    total: subtotal,
    updatedAt: state.now().toISOString(),
  }
  state.invoices.set(invoice.id, invoice)
  return invoice
}

/** Moves an invoice to a new status, stamping updatedAt (strictly later than before). */
export function setStatus(state: BillingState, invoice: Invoice, status: Invoice['status']): void {
  const now = state.now().getTime()
  const previous = Date.parse(invoice.updatedAt)
  invoice.status = status
  invoice.updatedAt = new Date(Math.max(now, previous + 1)).toISOString()
}
