/**
 * The accountant's step the API cannot take: turning an accepted proposal into a booked voucher
 * ("Sinh CT từ đề nghị"). Writes balanced ledger lines and assigns an AMIS voucher number.
 */
import { dictionaryTypes as T } from '../../dictionary-types.ts'
import type { Proposal, Tenant } from '../state/sandbox-state.ts'

const PREFIX: Record<number, string> = { 5: 'PT', 6: 'PC', 17: 'MDV', 18: 'NK', 21: 'DMH' }

/** Generates a voucher from an accepted proposal; returns false when it is not in the accepted state. */
export function generateProposal(tenant: Tenant, proposal: Proposal): boolean {
  if (proposal.status !== 'accepted') return false
  tenant.refnoSeq += 1
  const refno = `${PREFIX[proposal.voucherType] ?? 'CT'}${String(tenant.refnoSeq).padStart(5, '0')}`
  const v = proposal.payload
  const object =
    tenant.dictionaries.getById(T.accountObject.readType, v.account_object_id) ??
    tenant.dictionaries.getByCode(T.accountObject.readType, v.account_object_code)
  const objectCode = (object?.account_object_code as string | undefined) ?? null
  for (const line of (v.detail as Record<string, unknown>[]) ?? []) {
    const net = Number(line.amount ?? 0) - Number(line.discount_amount ?? 0)
    const vat = Number(line.vat_amount ?? 0)
    const base = { refno, orgRefid: proposal.orgRefid, objectCode }
    tenant.ledger.push({ ...base, account: String(line.debit_account), debit: net, credit: 0 })
    if (vat !== 0 && line.vat_account)
      tenant.ledger.push({ ...base, account: String(line.vat_account), debit: vat, credit: 0 })
    tenant.ledger.push({ ...base, account: String(line.credit_account), debit: 0, credit: net + vat })
  }
  proposal.status = 'generated'
  proposal.refno = refno
  return true
}
