/**
 * The `accountingDocuments` source stream: invoices approved and coded in Basware P2P, read in
 * Basware's own shape (header, codingRows, invoiceLines, matched order data).
 *
 * Reading follows the API's rules: the GET answers 302 (followed without credentials), the page's
 * continuation token comes back in a response header and goes out in a request header with the very
 * same query, and an empty result is a 404. The page cursor is the continuation token (prefixed with
 * the company index when several companies are configured); a token Basware no longer accepts
 * restarts the read, which is safe because records are de-duplicated by identity.
 *
 * Identity: `invoiceId` (required, P2P-generated, the key of every follow-up call and of webhook
 * notifications; `bumid` may be null), version `lastUpdated` (changes when P2P re-sends the invoice).
 */
import type { ConnectorContext, Page, ReadRequest, Stream } from '../../../core/connector/connector.ts'
import { ConnectorError, isConnectorError } from '../../../core/connector/connector-error.ts'
import { jsonAnswer } from '../../../core/connector/json-answer.ts'
import { callApi } from '../call-api.ts'
import type { Config } from '../config.ts'
import { baswareSchema } from '../schemas.ts'
import { accountingDocumentReconcile } from './accounting-document-reconcile.ts'

/** An accounting document as Basware sends it. */
export type AccountingDocument = Record<string, unknown> & {
  invoiceId: string
  processingStatus: string
  lastUpdated?: string
}

const MAX_PAGE_SIZE = 100
const PATH = '/v1/accountingDocuments'

function queryValue(query: Record<string, unknown>, name: string): string | undefined {
  const entry = Object.entries(query).find(([k]) => k.toLowerCase() === name.toLowerCase())
  return entry && entry[1] != null ? String(entry[1]) : undefined
}

function documentsOf(text: string): AccountingDocument[] {
  const body = jsonAnswer<unknown>(text, "Basware's answer to GET /v1/accountingDocuments")
  const list =
    Array.isArray(body) || body === null || typeof body !== 'object'
      ? body
      : ((body as { accountingDocuments?: unknown }).accountingDocuments ?? [])
  if (!Array.isArray(list) || list.some((d) => d === null || typeof d !== 'object'))
    throw new ConnectorError(
      'transient',
      "Basware's answer to GET /v1/accountingDocuments is not a list of documents.",
    )
  return list as AccountingDocument[]
}

function parseCursor(cursor: string | null, companies: number): { company: number; token?: string } {
  if (!cursor) return { company: 0 }
  if (companies <= 1) return { company: 0, token: cursor }
  const bar = cursor.indexOf('|')
  return { company: Number(cursor.slice(0, bar)) || 0, token: cursor.slice(bar + 1) || undefined }
}

function formatCursor(company: number, token: string | undefined, companies: number): string | null {
  if (companies <= 1) return token ?? null
  if (token) return `${company}|${token}`
  return company + 1 < companies ? `${company + 1}|` : null
}

/** Notified documents read at once: a webhook batch names many, and each is one GET. */
const READS_BY_ID_AT_ONCE = 8

async function* readByIds(
  ctx: ConnectorContext<Config>,
  ids: string[],
  status?: string,
): AsyncGenerator<Page<AccountingDocument>> {
  // Read side by side (the runtime's limits still apply to each call), kept in the order named: a
  // batch of notified documents waited for the sum of its reads when they went one after another.
  const answers: Awaited<ReturnType<typeof callApi>>[] = []
  for (let i = 0; i < ids.length; i += READS_BY_ID_AT_ONCE) {
    const chunk = ids.slice(i, i + READS_BY_ID_AT_ONCE)
    answers.push(
      ...(await Promise.all(
        chunk.map((id) =>
          callApi(ctx, { method: 'GET', path: `${PATH}/${encodeURIComponent(id)}`, expect: [404] }),
        ),
      )),
    )
  }
  const records: AccountingDocument[] = []
  let calls = 0
  for (const res of answers) {
    calls += res.calls
    if (res.status === 404) continue
    // A notified document may have moved on (claimed elsewhere, re-sent): keep only what the flow asks for.
    records.push(...documentsOf(res.text).filter((d) => !status || d.processingStatus === status))
  }
  yield { records, cursor: null, calls }
}

async function* readPages(
  ctx: ConnectorContext<Config>,
  req: ReadRequest,
): AsyncGenerator<Page<AccountingDocument>> {
  if (req.ids?.length) {
    yield* readByIds(ctx, req.ids, queryValue(req.query, 'processingStatus'))
    return
  }
  const companies = ctx.config.companyCodes?.length ? ctx.config.companyCodes : [undefined]
  const pageSize = Math.max(1, Math.min(MAX_PAGE_SIZE, req.pageSize ?? MAX_PAGE_SIZE))
  let { company, token } = parseCursor(req.cursor, companies.length)
  const until = req.window?.to ? Date.parse(req.window.to) : undefined
  while (company < companies.length) {
    const query = {
      ProcessingStatus: queryValue(req.query, 'processingStatus') ?? 'WaitingForTransfer',
      pageSize,
      companyCode: companies[company],
      lastUpdated: queryValue(req.query, 'lastUpdated') ?? req.window?.from,
      p2pProcessingMode: queryValue(req.query, 'p2pProcessingMode'),
    }
    let res: Awaited<ReturnType<typeof callApi>>
    try {
      res = await callApi(ctx, {
        method: 'GET',
        path: PATH,
        query,
        headers: token ? { 'x-amz-meta-continuationtoken': token } : {},
        expect: [404],
      })
    } catch (e) {
      if (!token || !isConnectorError(e) || e.kind !== 'rejected') throw e
      ctx.log.warn('basware refused the continuation token; reading from the first page again', {
        status: e.status,
        remoteCode: e.remoteCode,
      })
      token = undefined
      continue
    }
    const records = res.status === 404 ? [] : documentsOf(res.text)
    const next =
      res.status === 404 ? undefined : (res.headers.get('x-amz-meta-continuationtoken') ?? undefined)
    const cursor = formatCursor(company, next, companies.length)
    yield {
      records:
        until === undefined
          ? records
          : records.filter((r) => !r.lastUpdated || Date.parse(r.lastUpdated) < until),
      cursor,
      calls: res.calls,
    }
    if (next) token = next
    else {
      company++
      token = undefined
    }
  }
}

/** The accountingDocuments stream. */
export const accountingDocuments: Stream<Config, AccountingDocument> = {
  description: 'Invoices approved and coded in Basware P2P, waiting for transfer to the ERP (Basware shape).',
  schema: baswareSchema('AccountingDocumentEntity'),
  identity: { key: 'invoiceId', version: 'lastUpdated' },
  read: (ctx, req) => readPages(ctx, req),
  async claim(ctx, record) {
    const res = await callApi(ctx, {
      method: 'POST',
      path: `${PATH}/${encodeURIComponent(record.invoiceId)}/acknowledge`,
      expect: [405],
    })
    // 405: already acknowledged (by an earlier attempt of ours); continue with the transfer response.
    return res.status === 405 ? 'already' : 'claimed'
  },
  reconcile: accountingDocumentReconcile(readPages),
}
