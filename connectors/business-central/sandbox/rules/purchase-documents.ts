/**
 * Draft purchase documents: creation (with deep insert of lines and dimension set lines, all or
 * nothing), header defaults taken from the vendor, due dates from payment terms, totals from lines.
 */
import { randomUUID } from 'node:crypto'
import { entitySpec } from '../../api-fields.ts'
import { dialog } from '../protocol/bc-http-error.ts'
import { validatePayload } from '../protocol/validate-payload.ts'
import { type Company, nextNumber, type SandboxState, stamp, today, touch } from '../state/sandbox-state.ts'
import type { Entity, Table } from '../state/table.ts'
import { blankRecord } from './blank-record.ts'
import { addDimensionLines, type DimensionSet, dimensionCodes } from './dimension-set.ts'
import type { DocumentKind } from './document-kinds.ts'
import { precisionOf, prepareLine, roundTo } from './document-lines.ts'
import { findVendor, resolveCurrency } from './vendors.ts'

/**
 * Due date from the payment terms, as the Purchase Header's "Payment Terms Code" OnValidate sets it
 * (table 38, field 23): blank terms → the document date; a credit memo → the document date unless
 * the terms have *Calc. Pmt. Disc. on Cr. Memos* (`calculateDiscountOnCreditMemos`); otherwise the
 * document date moved by the due date formula (`30D` style, or `CM`: end of the month).
 */
export function dueDate(
  company: Company,
  kind: DocumentKind,
  paymentTermsId: unknown,
  documentDate: string,
): string {
  const terms = company.tables.paymentTerms!.get(String(paymentTermsId))
  if (!terms) return documentDate
  if (kind.sign === -1 && terms.data.calculateDiscountOnCreditMemos !== true) return documentDate
  const formula = String(terms.data.dueDateCalculation ?? '0D')
  const date = new Date(`${documentDate}T00:00:00Z`)
  if (formula.startsWith('CM')) date.setUTCMonth(date.getUTCMonth() + 1, 0)
  const days = /(\d+)D/.exec(formula)
  if (days) date.setUTCDate(date.getUTCDate() + Number(days[1]))
  return date.toISOString().slice(0, 10)
}

/** Recomputes the header totals from its lines. */
export function computeTotals(
  company: Company,
  kind: DocumentKind,
  header: Entity,
  vatPerIdentifier = false,
): void {
  const lines = company.tables[kind.lines]!
  const precision = precisionOf(company, String(header.data.currencyCode))
  const rows = [...lines.lookup('documentId', header.id)].map((id) => lines.get(id)!)
  if (vatPerIdentifier) spreadVatPerIdentifier(lines, rows, precision)
  let net = 0
  let tax = 0
  for (const { data: line } of rows) {
    net += Number(line.amountExcludingTax)
    tax += Number(line.totalTaxAmount)
  }
  const discount = Number(header.data.discountAmount)
  company.tables[kind.entitySet]!.update(header, {
    totalAmountExcludingTax: roundTo(net - discount, precision),
    totalTaxAmount: roundTo(tax, precision),
    totalAmountIncludingTax: roundTo(net - discount + tax, precision),
  })
}

/**
 * BC's VAT on a document: per VAT identifier (here the tax group), VAT of the group's net total, rounded
 * once; each line keeps its own rounded VAT and the group's last line takes the difference.
 */
function spreadVatPerIdentifier(lines: Table, rows: Entity[], precision: number): void {
  const groups = new Map<string, Entity[]>()
  for (const row of rows) {
    if (row.data.lineType === 'Comment' || !row.data.taxPercent) continue
    const key = String(row.data.taxCode ?? '')
    groups.set(key, [...(groups.get(key) ?? []), row])
  }
  for (const members of groups.values()) {
    const rate = Number(members[0]!.data.taxPercent)
    const net = members.reduce((a, m) => a + Number(m.data.amountExcludingTax), 0)
    const perLine = members.reduce((a, m) => a + Number(m.data.totalTaxAmount), 0)
    const difference = roundTo(roundTo((net * rate) / 100, precision) - perLine, precision)
    if (difference === 0) continue
    const last = members.at(-1)!
    const tax = roundTo(Number(last.data.totalTaxAmount) + difference, precision)
    const lineNet = Number(last.data.amountExcludingTax)
    lines.update(last, {
      totalTaxAmount: tax,
      netTaxAmount: tax,
      amountIncludingTax: roundTo(lineNet + tax, precision),
      netAmountIncludingTax: roundTo(lineNet + tax, precision),
    })
  }
}

function vendorFields(vendor: Entity): Record<string, unknown> {
  const v = vendor.data
  return {
    vendorId: vendor.id,
    vendorNumber: v.number,
    vendorName: v.displayName,
    payToVendorId: vendor.id,
    payToVendorNumber: v.number,
    payToName: v.displayName,
    buyFromAddressLine1: v.addressLine1,
    buyFromCity: v.city,
    buyFromCountry: v.country,
    payToAddressLine1: v.addressLine1,
    payToCity: v.city,
    payToCountry: v.country,
    // The Pay-to Vendor No. OnValidate copies the vendor's payment terms onto the document (only
    // credit memos show them on the API page; blankRecord drops the field for invoices).
    paymentTermsId: v.paymentTermsId,
  }
}

/** Shortcut dimension codes (the two global dimensions) of a header's dimension set. */
function shortcutCodes(company: Company, dims: DimensionSet): Record<string, string> {
  const codes = dimensionCodes(company, dims)
  return {
    shortcutDimension1Code: codes.find((c) => c.dimension === 'DEPARTMENT')?.value ?? '',
    shortcutDimension2Code: codes.find((c) => c.dimension === 'PROJECT')?.value ?? '',
  }
}

/** Creates a draft document (deep insert included) from a request body. */
export function createDocument(
  state: SandboxState,
  company: Company,
  kind: DocumentKind,
  body: unknown,
): Entity {
  const { fields, children } = validatePayload(kind.entitySet, body, [kind.lines, 'dimensionSetLines'])
  const vendor = findVendor(company, fields)
  if (vendor.data.blocked === 'All') {
    throw dialog(
      `You cannot create this type of document when Vendor ${vendor.data.number} is blocked with type All`,
    )
  }
  const documentDate = (fields[kind.documentDateField] as string | undefined) ?? today(state)
  const currency = resolveCurrency(company, {
    currencyId: fields.currencyId,
    currencyCode: fields.currencyCode ?? (vendor.data.currencyCode || undefined),
  })
  const id = randomUUID()
  const precision = precisionOf(company, currency.currencyCode)
  const lines = (children[kind.lines] ?? []).map((line, i) =>
    prepareLine(company, kind, id, line, (i + 1) * 10000, precision),
  )
  const sequences = new Set<number>()
  for (const line of lines) {
    const given = (line.data.sequence as number) || 0
    if (sequences.has(given)) throw dialog('You cannot insert a line with a duplicate sequence number.')
    sequences.add(given)
  }
  const dims: DimensionSet = { ...(vendor.extra.defaultDims ?? {}) }
  addDimensionLines(company, dims, children.dimensionSetLines)
  const data = blankRecord(kind.entitySet, {
    postingDate: today(state),
    ...fields,
    ...vendorFields(vendor),
    ...currency,
    ...shortcutCodes(company, dims),
    [kind.documentDateField]: documentDate,
    dueDate: fields.dueDate ?? dueDate(company, kind, vendor.data.paymentTermsId, documentDate),
    number: nextNumber(company, kind.draftPrefix, 100000),
    status: 'Draft',
    pricesIncludeTax: false,
    lastModifiedDateTime: stamp(state),
  })
  const header = company.tables[kind.entitySet]!.insert(id, data, { dims })
  for (const line of lines) company.tables[kind.lines]!.insert(line.id, line.data, { dims: line.dims })
  computeTotals(company, kind, header, state.settings.vatPerIdentifier)
  touch(state, company, kind.entitySet, header, 'created')
  return header
}

/** Throws BC's message when the document is no longer a draft. */
export function assertDraft(kind: DocumentKind, header: Entity): void {
  if (header.data.status !== 'Draft')
    throw dialog(`The ${kind.noun} has been posted and can no longer be modified.`)
}

/** PATCH of a draft header: validated fields, vendor change re-derives the vendor fields. */
export function updateDocument(
  state: SandboxState,
  company: Company,
  kind: DocumentKind,
  header: Entity,
  body: unknown,
): void {
  assertDraft(kind, header)
  const { fields } = validatePayload(kind.entitySet, body)
  if (fields.id !== undefined && fields.id !== header.id) throw dialog('The "id" cannot be changed.')
  const changes: Record<string, unknown> = { ...fields }
  if (fields.vendorId !== undefined || fields.vendorNumber !== undefined) {
    const vendor = findVendor(company, fields)
    const onPage = entitySpec(kind.entitySet).properties
    for (const [name, value] of Object.entries(vendorFields(vendor)))
      if (name in onPage) changes[name] = value
    const documentDate = String(fields[kind.documentDateField] ?? header.data[kind.documentDateField])
    changes.dueDate = fields.dueDate ?? dueDate(company, kind, vendor.data.paymentTermsId, documentDate)
  }
  if (fields.currencyId !== undefined || fields.currencyCode !== undefined)
    Object.assign(changes, resolveCurrency(company, fields))
  company.tables[kind.entitySet]!.update(header, changes)
  computeTotals(company, kind, header, state.settings.vatPerIdentifier)
  touch(state, company, kind.entitySet, header)
}

/** Adds one line to a draft (POST on the lines navigation). */
export function addLine(
  state: SandboxState,
  company: Company,
  kind: DocumentKind,
  header: Entity,
  body: unknown,
): Entity {
  assertDraft(kind, header)
  const lines = company.tables[kind.lines]!
  const existing = [...lines.lookup('documentId', header.id)].map((id) =>
    Number(lines.get(id)!.data.sequence),
  )
  const requested = (body as { sequence?: number })?.sequence
  if (requested !== undefined && existing.includes(requested)) {
    throw dialog('You cannot insert a line with a duplicate sequence number.')
  }
  const sequence = requested ?? Math.max(0, ...existing) + 10000
  const precision = precisionOf(company, String(header.data.currencyCode))
  const line = prepareLine(company, kind, header.id, body, sequence, precision)
  const stored = lines.insert(line.id, line.data, { dims: line.dims })
  computeTotals(company, kind, header, state.settings.vatPerIdentifier)
  touch(state, company, kind.entitySet, header)
  return stored
}
