/**
 * Target stream `matchingGoodsReceipts`: an ERP goods receipt recorded on Basware's matching order
 * lines, so invoices can be matched three ways (order, receipt, invoice).
 *
 * A record is one receipt of one order: `{ orderExternalCode, goodsReceipts: [GoodsReceiptEntity +
 * lineExternalCode] }`. Basware keeps receipts inside each OrderLineEntity and a line POST overwrites
 * the whole line, so the write reads the order's lines, replaces or adds each receipt (by its
 * externalCode) on its line, and posts the changed lines back (≤ 100 per request), then reads their
 * requestStatus. Re-sending a receipt changes nothing (Basware answers NotProcessed → skipped).
 * A receipt for an order or line Basware does not hold yet is a transient error: the purchase-order
 * flow posts it on its next run.
 */
import type {
  ConnectorContext,
  Stream,
  WriteRequest,
  WriteResult,
} from '../../../core/connector/connector.ts'
import { ConnectorError } from '../../../core/connector/connector-error.ts'
import type { Config } from '../config.ts'
import { correlationIdFor } from '../outcomes.ts'
import { baswareDefs } from '../schemas.ts'
import { MAX_LINES_PER_POST } from './matching-orders.ts'
import { type OrderLine, orderLinesOf } from './order-lines-of.ts'
import { postBulk } from './post-bulk.ts'

type Receipt = Record<string, unknown> & { externalCode: string; lineExternalCode: string }

const receiptEntity = baswareDefs.GoodsReceiptEntity as {
  properties: Record<string, unknown>
  required: string[]
}

const schema = {
  type: 'object',
  required: ['orderExternalCode', 'goodsReceipts'],
  properties: {
    orderExternalCode: { type: 'string', minLength: 1, maxLength: 36 },
    goodsReceipts: {
      type: 'array',
      items: {
        ...receiptEntity,
        properties: {
          ...receiptEntity.properties,
          lineExternalCode: { type: 'string', minLength: 1, maxLength: 36 },
        },
        required: [...receiptEntity.required, 'lineExternalCode'],
      },
    },
  },
  additionalProperties: false,
  $defs: baswareDefs,
}

const rejected = (message: string, field?: string): WriteResult => ({
  status: 'failed',
  error: new ConnectorError('rejected', message, { field }),
})

/** Puts each receipt on its line (replacing one with the same externalCode); returns the changed lines. */
function mergeReceipts(held: Map<string, OrderLine>, receipts: Receipt[]): OrderLine[] | string {
  const changed = new Map<string, OrderLine>()
  for (const { lineExternalCode, ...receipt } of receipts) {
    const line = changed.get(lineExternalCode) ?? held.get(lineExternalCode)
    if (!line) return lineExternalCode
    const { lastUpdated: _set, ...rest } = line
    const others = (line.goodsReceipts ?? []).filter(
      (r) => (r as { externalCode?: string }).externalCode !== receipt.externalCode,
    )
    changed.set(lineExternalCode, { ...rest, goodsReceipts: [...others, receipt] } as OrderLine)
  }
  return [...changed.values()]
}

async function write(ctx: ConnectorContext<Config>, req: WriteRequest): Promise<WriteResult> {
  const { orderExternalCode, goodsReceipts } = req.record as {
    orderExternalCode?: unknown
    goodsReceipts?: unknown
  }
  if (typeof orderExternalCode !== 'string' || !orderExternalCode)
    return rejected('matchingGoodsReceipts: orderExternalCode is required.', 'orderExternalCode')
  if (!Array.isArray(goodsReceipts) || goodsReceipts.length === 0)
    return rejected(
      'matchingGoodsReceipts: goodsReceipts must hold at least one receipt line.',
      'goodsReceipts',
    )
  const receipts = goodsReceipts as Receipt[]
  const id = String(receipts[0]!.goodsReceiptNumber ?? receipts[0]!.externalCode)
  const held = await orderLinesOf(ctx, orderExternalCode)
  const lines = mergeReceipts(held, receipts)
  if (typeof lines === 'string')
    throw new ConnectorError(
      'transient',
      held.size === 0
        ? `Basware holds no lines of order '${orderExternalCode}' yet; the order must be sent before its receipts.`
        : `Basware holds no line '${lines}' on order '${orderExternalCode}' yet.`,
    )
  const outcomes = await postBulk(ctx, 'matchingOrderLines', lines, MAX_LINES_PER_POST)
  const results = lines.map((l) => [l.externalCode, outcomes.get(l.externalCode)] as const)
  const failed = results.filter(([, o]) => o?.status === 'Error' || o?.status === 'Refused')
  if (failed.length) {
    const text = failed
      .map(([code, o]) => `line '${code}': ${o!.messages.join('; ') || o!.status}`)
      .join('; ')
    return {
      status: 'failed',
      error: new ConnectorError('rejected', `Basware refused goods receipt '${id}': ${text}`, {
        remoteCode: failed[0]![1]!.code,
        remoteMessage: text,
      }),
    }
  }
  const pending = results.find(([, o]) => !o || o.status === 'InProgress')
  if (pending?.[1]?.requestId)
    return { status: 'pending', correlationId: correlationIdFor(pending[1].requestId, pending[0]) }
  if (pending) throw new ConnectorError('transient', `Basware did not report line '${pending[0]}'.`)
  if (results.every(([, o]) => o!.status === 'NotProcessed'))
    return { status: 'skipped', id, reason: 'Basware already holds this goods receipt (NotProcessed)' }
  const warnings = results.flatMap(([, o]) => (o!.status === 'Warning' ? o!.messages : []))
  return {
    status: 'done',
    id,
    record: { requestId: results[0]![1]!.requestId, lines: lines.map((l) => l.externalCode), warnings },
    calls: results[0]![1]!.call ? [results[0]![1]!.call] : [],
  }
}

/** The `matchingGoodsReceipts` target stream (received quantities on matching order lines). */
export const matchingGoodsReceipts: Stream<Config> = {
  description:
    'Goods receipts for 3-way matching: GoodsReceiptEntity items put on their matching order lines (lineExternalCode).',
  schema,
  operations: ['upsert', 'create'],
  write,
  async writeMany(ctx, reqs) {
    const results: WriteResult[] = []
    for (const req of reqs) results.push(await write(ctx, req))
    return results
  },
}
