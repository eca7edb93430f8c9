/**
 * Vendor rules: numbers come from the `V` series unless manual numbers are allowed, the currency
 * pair (id/code) is resolved with the LCY shown as its code and the empty GUID, payment terms by id.
 */
import { randomUUID } from 'node:crypto'
import { BcHttpError, dialog } from '../protocol/bc-http-error.ts'
import { type Company, nextNumber, type SandboxState, stamp, touch } from '../state/sandbox-state.ts'
import type { Entity } from '../state/table.ts'
import { blankRecord, emptyGuid } from './blank-record.ts'

/** The local currency of seeded companies. */
export const localCurrency = 'VND'

/** Resolves `currencyId`/`currencyCode` of a payload to the pair BC stores. */
export function resolveCurrency(
  company: Company,
  fields: Record<string, unknown>,
): { currencyId: string; currencyCode: string } {
  const currencies = company.tables.currencies!
  let code = typeof fields.currencyCode === 'string' ? fields.currencyCode.toUpperCase() : undefined
  if (typeof fields.currencyId === 'string' && fields.currencyId !== emptyGuid) {
    const byId = currencies.get(fields.currencyId)
    if (!byId) throw dialog('The currency does not exist.')
    if (code && code !== byId.data.code)
      throw dialog('The currency values do not match to a specific Currency.')
    code = String(byId.data.code)
  }
  if (!code || code === localCurrency) return { currencyId: emptyGuid, currencyCode: localCurrency }
  const [id] = currencies.lookup('code', code)
  if (!id) throw dialog(`The currency ${code} does not exist.`)
  return { currencyId: id, currencyCode: code }
}

/** Finds a vendor by id or number; BC's message when neither finds one. */
export function findVendor(company: Company, fields: Record<string, unknown>): Entity {
  const vendors = company.tables.vendors!
  if (typeof fields.vendorId === 'string' && fields.vendorId !== emptyGuid) {
    const vendor = vendors.get(fields.vendorId)
    if (!vendor) throw dialog('The vendor cannot be found.')
    return vendor
  }
  if (typeof fields.vendorNumber === 'string' && fields.vendorNumber) {
    const [id] = vendors.lookup('number', fields.vendorNumber)
    if (!id) throw dialog('The vendor cannot be found.')
    return vendors.get(id)!
  }
  throw dialog('A "vendorNumber" or a "vendorID" must be provided.')
}

/** Creates a vendor from a validated payload. */
export function createVendor(state: SandboxState, company: Company, fields: Record<string, unknown>): Entity {
  const vendors = company.tables.vendors!
  let number = fields.number as string | undefined
  if (number) {
    if (!state.settings.manualVendorNumbers) {
      throw dialog(
        'You may not enter numbers manually. If you want to enter numbers manually, please activate Manual Nos. in No. Series V.',
      )
    }
    if (vendors.lookup('number', number).size > 0) {
      throw new BcHttpError(
        409,
        'Internal_EntityWithSameKeyExists',
        `The Vendor already exists. Identification fields and values: No.='${number}'`,
      )
    }
  } else {
    do number = nextNumber(company, 'V', 0, 4)
    while (vendors.lookup('number', number).size > 0)
  }
  const currency = resolveCurrency(company, fields)
  const data = blankRecord('vendors', { ...fields, ...currency, number, lastModifiedDateTime: stamp(state) })
  const vendor = vendors.insert(randomUUID(), data)
  touch(state, company, 'vendors', vendor, 'created')
  return vendor
}
