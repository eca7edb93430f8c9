/**
 * Reads the matching order lines Basware holds for one order (`GET /v1/matchingOrderLines?
 * orderExternalCode=…`, 100 per page, continuation token in a header). Both order streams need them:
 * a line POST overwrites the whole line, so goods receipts already on a line must be carried along.
 */
import type { ConnectorContext } from '../../../core/connector/connector.ts'
import { ConnectorError } from '../../../core/connector/connector-error.ts'
import { jsonAnswer } from '../../../core/connector/json-answer.ts'
import { callApi } from '../call-api.ts'
import type { Config } from '../config.ts'

/** A matching order line as Basware returns it. */
export type OrderLine = Record<string, unknown> & { externalCode: string; goodsReceipts?: unknown[] | null }

/** Every line of the order, keyed by externalCode; empty when Basware has none (404). */
export async function orderLinesOf(
  ctx: ConnectorContext<Config>,
  orderExternalCode: string,
): Promise<Map<string, OrderLine>> {
  const lines = new Map<string, OrderLine>()
  let token: string | null = null
  do {
    const res = await callApi(ctx, {
      method: 'GET',
      path: '/v1/matchingOrderLines',
      query: { orderExternalCode, pageSize: 100 },
      headers: token ? { 'x-amz-meta-continuationtoken': token } : {},
      expect: [404],
    })
    if (res.status === 404) break
    const body = jsonAnswer<{ matchingOrderLines?: OrderLine[] }>(
      res.text,
      "Basware's answer to GET /v1/matchingOrderLines",
    )
    const page = body?.matchingOrderLines ?? []
    if (!Array.isArray(page))
      throw new ConnectorError(
        'transient',
        "Basware's answer to GET /v1/matchingOrderLines is not a list of lines.",
      )
    for (const line of page) lines.set(line.externalCode, line)
    token = res.headers.get('x-amz-meta-continuationtoken')
  } while (token)
  return lines
}
