/**
 * Target stream `matchingOrders`: an ERP purchase order for Basware's order matching, one record per
 * order — the OrderEntity header plus its `lines` (OrderLineEntity, each naming the header in
 * `orderExternalCode`).
 *
 * Basware wants the header imported before its lines, so one write does both in order: POST the
 * headers (≤ 500 per request), wait for their requestStatus, then POST the lines of the headers that
 * went through (≤ 100 per request) and wait again. A line POST overwrites the whole line, so goods
 * receipts Basware already holds on a line (from the `matchingGoodsReceipts` stream) are carried over
 * when the mapped line has none. An order identical to the last one that went through is not sent.
 */
import type {
  CallSummary,
  ConnectorContext,
  Stream,
  WriteRequest,
  WriteResult,
} from '../../../core/connector/connector.ts'
import { ConnectorError } from '../../../core/connector/connector-error.ts'
import { jsonAnswer } from '../../../core/connector/json-answer.ts'
import { callApi } from '../call-api.ts'
import type { Config } from '../config.ts'
import { correlationIdFor } from '../outcomes.ts'
import { recordHash } from '../record-hash.ts'
import { baswareDefs } from '../schemas.ts'
import { type OrderLine, orderLinesOf } from './order-lines-of.ts'
import { type BulkOutcome, postBulk } from './post-bulk.ts'

type Order = Record<string, unknown> & { externalCode: string; lines: OrderLine[] }

interface Item {
  index: number
  header: Record<string, unknown> & { externalCode: string }
  lines: OrderLine[]
  hash: string
}

/** Basware's per-request maximum for order headers and order lines. */
export const MAX_ORDERS_PER_POST = 500
export const MAX_LINES_PER_POST = 100

const stateKey = (externalCode: string) => `basware:lastSent:matchingOrders:${externalCode}`

const orderSchema = {
  ...(baswareDefs.OrderEntity as { properties: Record<string, unknown>; required: string[] }),
  properties: {
    ...(baswareDefs.OrderEntity as { properties: Record<string, unknown> }).properties,
    lines: { type: 'array', items: { $ref: '#/$defs/OrderLineEntity' } },
  },
  required: [...(baswareDefs.OrderEntity as { required: string[] }).required, 'lines'],
  $defs: baswareDefs,
}

const rejected = (
  message: string,
  details: { remoteCode?: string; remoteMessage?: string; field?: string },
) => ({ status: 'failed', error: new ConnectorError('rejected', message, details) }) as const

/** Splits a mapped order into header and lines; a string says why it cannot be sent. */
function prepare(record: Record<string, unknown>): { header: Item['header']; lines: OrderLine[] } | string {
  const { lines, ...header } = record as Partial<Order>
  const code = header.externalCode
  if (typeof code !== 'string' || code.length === 0 || code.length > 36)
    return 'externalCode is required (1–36 characters)'
  if (!Array.isArray(lines)) return 'lines must be an array of order lines'
  const foreign = lines.find((l) => l?.orderExternalCode !== code)
  if (foreign) return `line '${String(foreign?.externalCode)}' names another order in orderExternalCode`
  return { header: header as Item['header'], lines }
}

/** Lines to post: the mapped ones, keeping Basware's goods receipts where the mapping has none. */
async function linesToPost(ctx: ConnectorContext<Config>, item: Item): Promise<OrderLine[]> {
  if (item.lines.every((l) => l.goodsReceipts !== undefined)) return item.lines
  const held = await orderLinesOf(ctx, item.header.externalCode)
  return item.lines.map((line) => {
    const receipts = held.get(line.externalCode)?.goodsReceipts
    return line.goodsReceipts === undefined && receipts?.length ? { ...line, goodsReceipts: receipts } : line
  })
}

const describe = (o: BulkOutcome) => o.messages.join('; ') || o.status

/** Folds the header's and its lines' outcomes into the order's result. */
function orderResult(
  item: Item,
  header: BulkOutcome,
  lines: [string, BulkOutcome | undefined][],
): WriteResult {
  const id = item.header.externalCode
  const failedLines = lines.filter(([, o]) => o?.status === 'Error' || o?.status === 'Refused')
  if (failedLines.length) {
    const text = failedLines.map(([code, o]) => `line '${code}': ${describe(o!)}`).join('; ')
    return rejected(`Basware refused lines of order '${id}': ${text}`, {
      remoteCode: failedLines[0]![1]!.code,
      remoteMessage: text,
    })
  }
  const pending = lines.find(([, o]) => !o || o.status === 'InProgress')
  if (pending?.[1]?.requestId)
    return { status: 'pending', correlationId: correlationIdFor(pending[1].requestId, pending[0]) }
  if (pending)
    throw new ConnectorError('transient', `Basware did not report line '${pending[0]}' of order '${id}'.`)
  const all = [header, ...lines.map(([, o]) => o!)]
  if (all.every((o) => o.status === 'NotProcessed'))
    return { status: 'skipped', id, reason: 'Basware already holds this order and its lines (NotProcessed)' }
  const warnings = all.filter((o) => o.status === 'Warning').flatMap((o) => o.messages)
  const calls = [...new Set(all.map((o) => o.call).filter((c): c is CallSummary => !!c))]
  return {
    status: 'done',
    id,
    number: typeof item.header.orderNumber === 'string' ? item.header.orderNumber : undefined,
    record: {
      headerRequestId: header.requestId,
      lineRequestIds: [...new Set(lines.map(([, o]) => o!.requestId))],
      warnings,
    },
    calls,
  }
}

async function writeMany(ctx: ConnectorContext<Config>, reqs: WriteRequest[]): Promise<WriteResult[]> {
  const results: WriteResult[] = new Array(reqs.length)
  const latest = new Map<string, Item>()
  for (const [index, req] of reqs.entries()) {
    const prepared = prepare(req.record)
    if (typeof prepared === 'string') {
      results[index] = rejected(`matchingOrders: ${prepared}.`, { field: prepared.split(' ')[0] })
      continue
    }
    const item = { index, ...prepared, hash: recordHash(req.record) }
    const earlier = latest.get(item.header.externalCode)
    if (earlier)
      results[earlier.index] = {
        status: 'skipped',
        id: item.header.externalCode,
        reason: 'Superseded by a later version in the same batch',
      }
    latest.set(item.header.externalCode, item)
  }
  const toSend: Item[] = []
  for (const item of latest.values()) {
    if ((await ctx.state.get<string>(stateKey(item.header.externalCode))) === item.hash)
      results[item.index] = {
        status: 'skipped',
        id: item.header.externalCode,
        reason: 'Identical to the last version sent to Basware (it would answer NotProcessed)',
      }
    else toSend.push(item)
  }
  if (toSend.length === 0) return results

  const headers = await postBulk(
    ctx,
    'matchingOrders',
    toSend.map((i) => i.header),
    MAX_ORDERS_PER_POST,
  )
  const ready: Item[] = []
  for (const item of toSend) {
    const outcome = headers.get(item.header.externalCode)
    const id = item.header.externalCode
    if (!outcome || outcome.status === 'InProgress')
      // Lines must not overtake their header; a retry re-posts it (NotProcessed) and continues.
      results[item.index] = {
        status: 'failed',
        error: new ConnectorError('transient', `Basware is still processing the header of order '${id}'.`),
      }
    else if (outcome.status === 'Error' || outcome.status === 'Refused')
      results[item.index] = rejected(`Basware refused order '${id}': ${describe(outcome)}`, {
        remoteCode: outcome.code,
        remoteMessage: outcome.messages.join('; '),
      })
    else ready.push(item)
  }
  const lineSets = new Map<Item, OrderLine[]>()
  for (const item of ready) lineSets.set(item, await linesToPost(ctx, item))
  const lines = await postBulk(ctx, 'matchingOrderLines', [...lineSets.values()].flat(), MAX_LINES_PER_POST)
  for (const item of ready) {
    const header = headers.get(item.header.externalCode)!
    const outcomes = item.lines.map((l): [string, BulkOutcome | undefined] => [
      l.externalCode,
      lines.get(l.externalCode),
    ])
    const result = orderResult(item, header, outcomes)
    results[item.index] = result
    if (result.status === 'done' || result.status === 'skipped')
      await ctx.state.set(stateKey(item.header.externalCode), item.hash)
  }
  return results
}

/** The `matchingOrders` target stream (order header + lines for AP order matching). */
export const matchingOrders: Stream<Config> = {
  description:
    'Purchase orders for invoice matching: OrderEntity header with its lines (OrderLineEntity); header posted first.',
  schema: orderSchema,
  identity: { key: 'externalCode' },
  operations: ['upsert', 'create', 'update'],
  maxBatch: MAX_ORDERS_PER_POST,
  writeMany,
  async write(ctx, req) {
    return (await writeMany(ctx, [req]))[0]!
  },
  async find(ctx, match) {
    const code = match.externalCode
    if (typeof code !== 'string' || !code) return null
    const path = `/v1/matchingOrders/${encodeURIComponent(code)}`
    const res = await callApi(ctx, { method: 'GET', path, expect: [404] })
    if (res.status === 404) return null
    const header = jsonAnswer<Record<string, unknown>>(res.text, `Basware's answer to GET ${path}`)
    const lines = [...(await orderLinesOf(ctx, code)).values()]
    return { id: code, number: header.orderNumber as string | undefined, record: { ...header, lines } }
  },
}
