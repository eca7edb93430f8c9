/**
 * Reads what a purchase document names — its vendor, the G/L accounts of its lines, the dimension
 * values of its header and lines — and answers what BC would refuse, in BC's words, writing nothing.
 *
 * Not checked, because API v2.0 cannot show it without writing: the allowed posting dates (General
 * Ledger Setup and User Setup are not in the API), blocked dimension values (dimensionValues has no
 * `blocked` flag) and value posting rules of default dimensions on G/L accounts. A document that
 * fails on those is found by the period's reconciliation instead.
 */
import type { ConnectorContext } from '../../../core/connector/connector.ts'
import type { PrecheckProblem, StreamPrecheck } from '../../../core/connector/stream-precheck.ts'
import { callApi, collection } from '../call-api.ts'
import { companyUrl, isGuid } from '../company-url.ts'
import type { Config } from '../config.ts'
import { quoteString } from '../odata-literal.ts'
import type { DocumentStreamKind } from './document-stream.ts'

type Row = Record<string, unknown>

/** One GET per distinct filter within one precheck. */
function reader(ctx: ConnectorContext<Config>) {
  const seen = new Map<string, Promise<Row[]>>()
  return (entitySet: string, filter: string, select: string) => {
    const key = `${entitySet}?${filter}`
    let rows = seen.get(key)
    if (!rows) {
      rows = companyUrl(ctx).then(async (base) =>
        collection(
          await callApi(ctx, {
            method: 'GET',
            url: `${base}/${entitySet}?$filter=${encodeURIComponent(filter)}&$select=${select}`,
          }),
        ),
      )
      seen.set(key, rows)
    }
    return rows
  }
}

const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined)
const list = (value: unknown): Row[] =>
  Array.isArray(value) ? value.filter((v): v is Row => v !== null && typeof v === 'object') : []

/** The precheck of one purchase document kind. */
export function purchaseDocumentPrecheck(kind: DocumentStreamKind): StreamPrecheck<Config> {
  return async (ctx, record) => {
    const read = reader(ctx)
    const problems: PrecheckProblem[] = []

    const vendorNumber = text(record.vendorNumber)
    const vendorId = text(record.vendorId)
    if (vendorNumber || vendorId) {
      const [vendor] =
        vendorId && !isGuid(vendorId)
          ? []
          : await read(
              'vendors',
              vendorId ? `id eq ${vendorId}` : `number eq ${quoteString(vendorNumber!)}`,
              'id,number,blocked',
            )
      const pointer = vendorId ? '/vendorId' : '/vendorNumber'
      if (!vendor) problems.push({ pointer, message: 'The vendor cannot be found.' })
      else if (vendor.blocked === 'All')
        problems.push({
          pointer,
          message: `You cannot create this type of document when Vendor ${String(vendor.number)} is blocked with type All`,
        })
    } else {
      problems.push({ pointer: '', message: 'A "vendorNumber" or a "vendorID" must be provided.' })
    }

    const checkDimensions = async (lines: unknown, at: string) => {
      for (const [i, line] of list(lines).entries()) {
        const code = text(line.code)
        const valueCode = text(line.valueCode)
        if (!code || !valueCode) continue
        const [dimension] = await read('dimensions', `code eq ${quoteString(code.toUpperCase())}`, 'id,code')
        if (!dimension) {
          problems.push({ pointer: `${at}/${i}/code`, message: `The dimension ${code} does not exist.` })
          continue
        }
        const [value] = await read(
          'dimensionValues',
          `dimensionId eq ${String(dimension.id)} and code eq ${quoteString(valueCode.toUpperCase())}`,
          'id,code',
        )
        if (!value)
          problems.push({
            pointer: `${at}/${i}/valueCode`,
            message: 'The "valueCode" does not match to a Dimension Value.',
          })
      }
    }
    await checkDimensions(record.dimensionSetLines, '/dimensionSetLines')

    for (const [i, line] of list(record[kind.lines]).entries()) {
      const at = `/${kind.lines}/${i}`
      await checkDimensions(line.dimensionSetLines, `${at}/dimensionSetLines`)
      const number = text(line.lineObjectNumber)
      if (line.lineType !== 'Account' || !number) continue
      const [account] = await read(
        'accounts',
        `number eq ${quoteString(number)}`,
        'id,number,accountType,blocked,directPosting',
      )
      const pointer = `${at}/lineObjectNumber`
      if (!account) problems.push({ pointer, message: 'Account does not exist.' })
      else if (account.accountType !== 'Posting')
        problems.push({
          pointer,
          message: `Account Type must be equal to 'Posting' in G/L Account: No.=${number}. Current value is '${String(account.accountType)}'.`,
        })
      else if (account.blocked === true)
        problems.push({
          pointer,
          message: `Blocked must be equal to 'No' in G/L Account: No.=${number}. Current value is 'Yes'.`,
        })
      else if (account.directPosting === false)
        problems.push({
          pointer,
          message: `Direct Posting must be equal to 'Yes' in G/L Account: No.=${number}. Current value is 'No'.`,
        })
    }
    return problems
  }
}
