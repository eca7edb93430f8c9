/**
 * Voucher target streams (purchases, purchases of services, payments). `save` only acknowledges, so
 * every write returns `pending` with the org_refid as correlation id; the callback (or the outcome
 * poll) completes it. org_refid is the record's own when the mapping sets one, else derived from the
 * idempotency key, so a resend replaces the proposal. `delete` withdraws a proposal before generation.
 */
import type {
  ConnectorContext,
  JsonSchema,
  Stream,
  WriteRequest,
  WriteResult,
} from '../../../core/connector/connector.ts'
import { ConnectorError } from '../../../core/connector/connector-error.ts'
import type { Config } from '../config.ts'
import { orgRefidFor } from '../org-refid.ts'
import { deleteCorrelationId } from '../outcome-row.ts'
import { type Prepared, saveInBatches } from './save-in-batches.ts'
import { voucherPrecheck } from './voucher-precheck.ts'
import { voucherReconcile } from './voucher-reconcile.ts'

/** What distinguishes one voucher stream from another. */
export interface VoucherKind {
  description: string
  voucherType: number
  reftype: number
  /** Extra required header fields and line properties for the schema. */
  schema?: { required?: string[]; properties?: Record<string, JsonSchema>; line?: Record<string, JsonSchema> }
}

/** MISA's caps (reference §3.2). */
export const MAX_VOUCHERS_PER_SAVE = 100
export const MAX_LINES_PER_VOUCHER = 500

const rejected = (message: string, field?: string): Prepared => ({
  failed: { status: 'failed', error: new ConnectorError('rejected', message, { field }) },
})

function orgRefidOf(req: WriteRequest): string {
  const own = req.record.org_refid
  if (typeof own === 'string' && own !== '') return own
  return orgRefidFor(req.idempotencyKey)
}

function prepareSave(ctx: ConnectorContext<Config>, kind: VoucherKind, req: WriteRequest): Prepared {
  const orgRefid = orgRefidOf(req)
  if (orgRefid.length > 36)
    return rejected(`org_refid "${orgRefid}" is longer than 36 characters`, '/org_refid')
  const detail = req.record.detail
  if (!Array.isArray(detail) || detail.length === 0)
    return rejected('a MISA voucher needs at least one detail line', '/detail')
  if (detail.length > MAX_LINES_PER_VOUCHER) {
    return rejected(
      `MISA accepts at most ${MAX_LINES_PER_VOUCHER} lines per voucher; this one has ${detail.length}: split it`,
      '/detail',
    )
  }
  const item = {
    voucher_type: kind.voucherType,
    reftype: kind.reftype,
    is_get_new_id: true,
    branch_id: ctx.config.branchId,
    currency_id: 'VND',
    exchange_rate: 1,
    ...req.record,
    org_refid: orgRefid,
  }
  return { item, correlationId: orgRefid }
}

function prepareDelete(kind: VoucherKind, req: WriteRequest): Prepared {
  const orgRefid = (req.record.org_refid as string | undefined) ?? req.existing?.id
  if (!orgRefid)
    return rejected(
      'deleting a MISA proposal needs its org_refid (record.org_refid or the found record)',
      '/org_refid',
    )
  return {
    item: { voucher_type: req.record.voucher_type ?? kind.voucherType, org_refid: orgRefid },
    correlationId: deleteCorrelationId(orgRefid),
  }
}

async function writeVouchers(
  ctx: ConnectorContext<Config>,
  kind: VoucherKind,
  reqs: WriteRequest[],
): Promise<WriteResult[]> {
  const results: WriteResult[] = new Array(reqs.length)
  const saves = reqs.flatMap((r, i) => (r.operation === 'delete' ? [] : [i]))
  const deletes = reqs.flatMap((r, i) => (r.operation === 'delete' ? [i] : []))
  const saved = await saveInBatches(
    ctx,
    saves.map((i) => prepareSave(ctx, kind, reqs[i]!)),
    { fn: 'save', key: 'voucher', max: MAX_VOUCHERS_PER_SAVE },
  )
  saves.forEach((i, n) => {
    results[i] = saved[n]!
  })
  const deleted = await saveInBatches(
    ctx,
    deletes.map((i) => prepareDelete(kind, reqs[i]!)),
    { fn: 'delete', key: 'voucher', max: MAX_VOUCHERS_PER_SAVE, method: 'DELETE' },
  )
  deletes.forEach((i, n) => {
    results[i] = deleted[n]!
  })
  return results
}

function voucherSchema(kind: VoucherKind): JsonSchema {
  const money = { type: 'number' }
  return {
    type: 'object',
    required: [
      'account_object_code',
      'refdate',
      'posted_date',
      'detail',
      'total_amount',
      ...(kind.schema?.required ?? []),
    ],
    properties: {
      voucher_type: { type: 'integer', default: kind.voucherType },
      reftype: { type: 'integer', default: kind.reftype },
      org_refid: {
        type: 'string',
        maxLength: 36,
        description: 'Set from the source key to replace the proposal on new versions.',
      },
      org_refno: { type: 'string' },
      branch_id: { type: 'string' },
      account_object_code: { type: 'string' },
      account_object_tax_code: { type: 'string' },
      refdate: { type: 'string' },
      posted_date: { type: 'string' },
      journal_memo: { type: 'string', maxLength: 250 },
      currency_id: { type: 'string' },
      exchange_rate: { type: 'number' },
      total_sale_amount: money,
      total_discount_amount: money,
      total_vat_amount: money,
      total_amount: money,
      ...kind.schema?.properties,
      detail: {
        type: 'array',
        minItems: 1,
        maxItems: MAX_LINES_PER_VOUCHER,
        items: {
          type: 'object',
          required: ['debit_account', 'credit_account', 'amount'],
          properties: {
            sort_order: { type: 'integer' },
            description: { type: 'string' },
            debit_account: { type: 'string' },
            credit_account: { type: 'string' },
            vat_account: { type: 'string' },
            amount: { type: 'integer' },
            amount_oc: money,
            vat_rate: { enum: [0, 5, 8, 10, -1, -2, -3] },
            other_vat_rate: { type: 'number' },
            vat_amount: { type: 'integer' },
            discount_amount: { type: 'integer' },
            ...kind.schema?.line,
          },
          additionalProperties: true,
        },
      },
    },
    additionalProperties: true,
  }
}

/** Declares a voucher target stream. */
export function voucherStream(kind: VoucherKind): Stream<Config> {
  return {
    description: kind.description,
    schema: voucherSchema(kind),
    operations: ['create', 'upsert', 'delete'],
    maxBatch: MAX_VOUCHERS_PER_SAVE,
    async write(ctx, req) {
      const [result] = await writeVouchers(ctx, kind, [req])
      return result!
    },
    writeMany: (ctx, reqs) => writeVouchers(ctx, kind, reqs),
    reconcile: voucherReconcile,
    precheck: voucherPrecheck({ vendorRequired: [17, 18, 21].includes(kind.voucherType) }),
  }
}
