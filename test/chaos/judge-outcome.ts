/** What the sandboxes themselves hold after a chaos run: BC's purchase invoices, Basware's document histories. */
export interface Outcome {
  /** Invoices posted in BC once and answered in Basware as transferred. */
  delivered: number
  /** Invoices not (yet) both in BC and answered in Basware: lost, once the run has settled. */
  pending: number
  /** Extra BC invoices for one Basware invoice, plus extra successful transfer responses. */
  duplicated: number
  /** Invoices created in BC before an invoice of the same supplier that Ferry had read earlier. */
  orderViolations: number
  /** Invoices the order was checked over (in BC, with the place Ferry read them in). */
  orderCheckedOver: number
  /**
   * Invoices Ferry learnt of after a later-announced invoice of the same supplier (its callback was
   * dropped or retried after a 500 while PostgreSQL was down): not a fault of Ferry's, which cannot
   * order what it has not seen, but shown so the callbacks' effect is visible.
   */
  readAfterLaterAnnounced: number
  details: string[]
}

interface BcInvoice {
  vendorNumber: string
  vendorInvoiceNumber: string
  status: string
}

interface StoredDocument {
  document: { supplierCode: string; invoiceNumber: string; processingStatus: string }
  history: { action: string; success?: boolean }[]
}

async function json<T>(url: string): Promise<T> {
  const res = await fetch(url)
  if (!res.ok) throw new Error(`${url}: ${res.status}`)
  return (await res.json()) as T
}

/**
 * Judges a run from the sandboxes' state: what BC holds (once each, posted, in which order) and what
 * Basware was told (transferred, once). `invoiceIds` are the Basware invoices in the order Basware
 * announced them. The order `order: supplierCode` promises is source order as Ferry reads it, so
 * `readOrder` (invoice id → its place in Ferry's reading, records.seq) says which invoice of a supplier
 * came first; BC's own table says which was created first.
 */
export async function judgeOutcome(options: {
  bcBaseUrl: string
  bwBaseUrl: string
  invoiceIds: string[]
  readOrder?: Map<string, bigint>
}): Promise<Outcome> {
  const invoices = await json<BcInvoice[]>(`${options.bcBaseUrl}/__sandbox/state/purchaseInvoices`)
  // The BC table lists invoices in the order they were created.
  const positions = new Map<string, number[]>()
  invoices.forEach((invoice, position) => {
    const key = `${invoice.vendorNumber}|${invoice.vendorInvoiceNumber}`
    positions.set(key, [...(positions.get(key) ?? []), position])
  })
  const posted = new Map(invoices.map((i) => [`${i.vendorNumber}|${i.vendorInvoiceNumber}`, i.status]))
  const outcome: Outcome = {
    delivered: 0,
    pending: 0,
    duplicated: 0,
    orderViolations: 0,
    orderCheckedOver: 0,
    readAfterLaterAnnounced: 0,
    details: [],
  }
  const createdIn = new Map<string, { invoiceId: string; position: number; read: bigint }[]>()
  const latestRead = new Map<string, bigint>()
  for (const invoiceId of options.invoiceIds) {
    const { document, history } = await json<StoredDocument>(
      `${options.bwBaseUrl}/__sandbox/documents/${invoiceId}`,
    )
    const key = `${document.supplierCode}|${document.invoiceNumber.slice(0, 35)}`
    const inBc = positions.get(key) ?? []
    const transfers = history.filter((h) => h.action.toLowerCase().includes('transfer') && h.success === true)
    if (inBc.length > 1) {
      outcome.duplicated += inBc.length - 1
      outcome.details.push(`${invoiceId} (${key}) is in BC ${inBc.length} times`)
    }
    if (transfers.length > 1) {
      outcome.duplicated += transfers.length - 1
      outcome.details.push(`${invoiceId} (${key}) was answered as transferred ${transfers.length} times`)
    }
    if (
      inBc.length >= 1 &&
      posted.get(key) === 'Open' &&
      transfers.length >= 1 &&
      document.processingStatus === 'Transferred'
    )
      outcome.delivered++
    else outcome.pending++
    const read = options.readOrder?.get(invoiceId)
    if (inBc.length === 0 || read === undefined) continue
    outcome.orderCheckedOver++
    const seen = latestRead.get(document.supplierCode)
    if (seen !== undefined && read < seen) outcome.readAfterLaterAnnounced++
    if (seen === undefined || read > seen) latestRead.set(document.supplierCode, read)
    const list = createdIn.get(document.supplierCode) ?? []
    list.push({ invoiceId, position: inBc[0]!, read })
    createdIn.set(document.supplierCode, list)
  }
  for (const [supplier, list] of createdIn) {
    list.sort((a, b) => (a.read < b.read ? -1 : a.read > b.read ? 1 : 0))
    let before: (typeof list)[number] | undefined
    for (const invoice of list) {
      if (before && invoice.position < before.position) {
        outcome.orderViolations++
        outcome.details.push(
          `${supplier}: ${invoice.invoiceId} was read after ${before.invoiceId} but created in BC before it`,
        )
      } else before = invoice
    }
  }
  return outcome
}
