/**
 * Demo data: customers of a Microsoft CSP and the invoices its billing system issues each month —
 * licence lines linked to ERP items, and one-off lines (setup, consulting) with no product, which the
 * ERP books on a write-in item.
 */
import type { BillingState, Customer, InvoiceLine } from './billing-state.ts'
import { createInvoice, setStatus } from './billing-state.ts'
import type { WebhookSender } from './webhook-sender.ts'

const CUSTOMERS: Customer[] = [
  {
    id: 'cus_0001',
    name: 'Adatum Corporation',
    erpNumber: '10000',
    country: 'US',
    email: 'ap@adatum.example',
  },
  { id: 'cus_0002', name: 'Trey Research', erpNumber: '20000', country: 'US', email: 'billing@trey.example' },
  {
    id: 'cus_0003',
    name: 'Alpine Ski House',
    erpNumber: '30000',
    country: 'US',
    email: 'finance@alpine.example',
  },
]

type NewLine = Omit<InvoiceLine, 'id' | 'amount'>

const CATALOG: NewLine[] = [
  {
    description: 'Microsoft 365 Business Premium (monthly)',
    productCode: 'CFQ7TTC0LCHC:0002',
    erpItemNumber: 'M365-BP',
    quantity: 10,
    unitPrice: 22,
    taxable: true,
    period: null,
  },
  {
    description: 'Microsoft 365 E3 (monthly)',
    productCode: 'CFQ7TTC0LFLX:0001',
    erpItemNumber: 'M365-E3',
    quantity: 25,
    unitPrice: 36,
    taxable: true,
    period: null,
  },
  {
    description: 'Azure consumption',
    productCode: 'DZH318Z0BQ3Q:0001',
    erpItemNumber: 'AZURE',
    quantity: 1,
    unitPrice: 412.37,
    taxable: false,
    period: null,
  },
]

const ONE_OFF: NewLine = {
  description: 'Onboarding and migration (hours)',
  productCode: null,
  erpItemNumber: null,
  quantity: 4,
  unitPrice: 150,
  taxable: true,
  period: null,
}

/** Seeds the customers (and, for the demo, a few finalized invoices). */
export function seedBilling(state: BillingState, options: { invoices: boolean }): void {
  for (const c of CUSTOMERS) state.customers.set(c.id, { ...c })
  if (!options.invoices) return
  for (let i = 0; i < 3; i++) {
    const invoice = createInvoice(state, CUSTOMERS[i % CUSTOMERS.length]!.id, [
      CATALOG[i % CATALOG.length]!,
      ONE_OFF,
    ])
    setStatus(state, invoice, 'finalized')
  }
}

/** Issues `count` new invoices and announces each with an `invoice.finalized` event. */
export async function produceInvoices(
  state: BillingState,
  sender: WebhookSender,
  count: number,
): Promise<void> {
  for (let i = 0; i < count; i++) {
    const n = state.nextInvoice
    const lines = [CATALOG[n % CATALOG.length]!, ...(n % 2 === 0 ? [ONE_OFF] : [])]
    const invoice = createInvoice(state, CUSTOMERS[n % CUSTOMERS.length]!.id, lines)
    setStatus(state, invoice, 'finalized')
    await sender.emit('invoice.finalized', { object: invoice })
  }
}
