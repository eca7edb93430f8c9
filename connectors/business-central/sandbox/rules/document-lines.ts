/**
 * Purchase document lines: line type and account rules, sequence numbers, tax from the tax group
 * table and amounts rounded to the currency's precision, as the purchase line aggregate computes them.
 */
import { randomUUID } from 'node:crypto'
import { encodeEnum } from '../../odata-enum.ts'
import { BcHttpError, dialog } from '../protocol/bc-http-error.ts'
import { validatePayload } from '../protocol/validate-payload.ts'
import type { Company } from '../state/sandbox-state.ts'
import type { Entity } from '../state/table.ts'
import { blankRecord, emptyGuid } from './blank-record.ts'
import { addDimensionLines, type DimensionSet } from './dimension-set.ts'
import type { DocumentKind } from './document-kinds.ts'

/** Rounds to a currency precision (1 for VND, 0.01 otherwise). */
export function roundTo(value: number, precision: number): number {
  return Math.round(value / precision) * precision
}

/** The rounding precision of a currency code. */
export function precisionOf(company: Company, currencyCode: string): number {
  const [id] = company.tables.currencies!.lookup('code', currencyCode)
  const precision = id ? Number(company.tables.currencies!.get(id)?.data.amountRoundingPrecision) : 0
  return precision > 0 ? precision : 1
}

function resolveAccount(company: Company, fields: Record<string, unknown>): Entity {
  const accounts = company.tables.accounts!
  const account =
    typeof fields.accountId === 'string' && fields.accountId !== emptyGuid
      ? accounts.get(fields.accountId)
      : accounts.get([...accounts.lookup('number', fields.lineObjectNumber ?? '')][0] ?? '')
  if (!account) throw dialog('Account does not exist.')
  const n = account.data.number
  if (account.data.accountType !== 'Posting') {
    throw new BcHttpError(
      400,
      'Application_FieldValidationException',
      `Account Type must be equal to 'Posting' in G/L Account: No.=${n}. Current value is '${account.data.accountType}'.`,
    )
  }
  if (account.data.blocked) {
    throw new BcHttpError(
      400,
      'Application_FieldValidationException',
      `Blocked must be equal to 'No' in G/L Account: No.=${n}. Current value is 'Yes'.`,
    )
  }
  if (!account.data.directPosting) {
    throw new BcHttpError(
      400,
      'Application_FieldValidationException',
      `Direct Posting must be equal to 'Yes' in G/L Account: No.=${n}. Current value is 'No'.`,
    )
  }
  return account
}

function taxRate(company: Company, taxCode: string): number {
  if (!taxCode) return 0
  const [id] = company.tables.taxGroups!.lookup('code', taxCode)
  if (!id) throw dialog(`The Tax Group does not exist. Identification fields and values: Code='${taxCode}'`)
  return Number(company.tables.taxGroups!.get(id)!.extra.rate ?? 0)
}

/** Recomputes a line's amounts from quantity, unit cost, discount and tax group. */
export function computeLine(company: Company, data: Record<string, unknown>, precision: number): void {
  if (data.lineType === 'Comment') return
  const gross = Number(data.quantity) * Number(data.unitCost)
  if (Number(data.discountPercent) > 0)
    data.discountAmount = roundTo((gross * Number(data.discountPercent)) / 100, precision)
  const net = roundTo(gross - Number(data.discountAmount), precision)
  const rate = taxRate(company, String(data.taxCode ?? ''))
  const tax = roundTo((net * rate) / 100, precision)
  Object.assign(data, {
    amountExcludingTax: net,
    taxPercent: rate,
    totalTaxAmount: tax,
    amountIncludingTax: roundTo(net + tax, precision),
    netAmount: net,
    netTaxAmount: tax,
    netAmountIncludingTax: roundTo(net + tax, precision),
  })
}

/** A prepared line: its data and dimension set, not stored yet (deep insert stores all or nothing). */
export interface PreparedLine {
  id: string
  data: Record<string, unknown>
  dims: DimensionSet
}

/** Validates and computes one line payload of a document `documentId`. */
export function prepareLine(
  company: Company,
  kind: DocumentKind,
  documentId: string,
  payload: unknown,
  sequence: number,
  precision: number,
): PreparedLine {
  const { fields, children } = validatePayload(kind.lines, payload, ['dimensionSetLines'])
  if (fields.itemId && fields.accountId && fields.itemId !== emptyGuid && fields.accountId !== emptyGuid) {
    throw dialog('Both "itemId" and "accountId" are specified. Specify only one of them.')
  }
  let lineType = fields.lineType as string | undefined
  if (!lineType && fields.accountId) lineType = 'Account'
  if (!lineType && fields.itemId) lineType = 'Item'
  if (!lineType) lineType = fields.lineObjectNumber ? '' : 'Comment'
  if (!lineType) throw dialog('You must specify a "lineType" when you specify a "lineObjectNumber".')
  const data = blankRecord(kind.lines, { ...fields, lineType: encodeEnum(lineType), documentId, sequence })
  if (
    lineType === 'Item' ||
    lineType === 'Resource' ||
    lineType === 'Fixed_x0020_Asset' ||
    lineType === 'Charge'
  ) {
    throw dialog('Item does not exist.')
  }
  if (lineType === 'Account') {
    const account = resolveAccount(company, fields)
    data.accountId = account.id
    data.lineObjectNumber = account.data.number
    if (!fields.description) data.description = account.data.displayName
    if (fields.taxCode === undefined) data.taxCode = account.extra.taxCode ?? ''
    if (fields.quantity === undefined) data.quantity = 0
  }
  computeLine(company, data, precision)
  const dims: DimensionSet = {}
  addDimensionLines(company, dims, children.dimensionSetLines)
  return { id: randomUUID(), data, dims }
}
