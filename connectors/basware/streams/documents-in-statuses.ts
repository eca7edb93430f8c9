/**
 * Every accounting document in some processing statuses, page by page. Basware's export filters by
 * status, company and last change only, so a read of a period reads the statuses it needs whole.
 */
import type { ConnectorContext, Page, ReadRequest } from '../../../core/connector/connector.ts'
import type { Config } from '../config.ts'

/** The stream read this walks (accountingDocuments' own). */
export type DocumentRead = (
  ctx: ConnectorContext<Config>,
  req: ReadRequest,
) => AsyncIterable<Page<Record<string, unknown>>>

/** Yields the documents of each status in turn, one page at a time. */
export async function* documentsInStatuses(
  read: DocumentRead,
  ctx: ConnectorContext<Config>,
  statuses: readonly string[],
): AsyncIterable<Record<string, unknown>[]> {
  for (const processingStatus of statuses)
    for await (const page of read(ctx, { cursor: null, query: { processingStatus } })) yield page.records
}

/** The `yyyy-mm-dd` part of a Basware date or date-time, when it has one. */
export function dayOf(value: unknown): string | undefined {
  return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? value.slice(0, 10) : undefined
}
