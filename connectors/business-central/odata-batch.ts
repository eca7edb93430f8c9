/**
 * JSON `$batch`: up to 100 operations in one HTTP call. BC runs them in order; by default it stops
 * at the first failure, `continueOnError` runs the rest, `atomic` (`Isolation: snapshot`) rolls all
 * back when one fails.
 */
import type { ConnectorContext } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { callApi } from './call-api.ts'
import { apiRoot, type Config, configSecrets } from './config.ts'
import { bcError } from './errors.ts'

/** BC online's cap on operations per batch. */
export const maxBatchOperations = 100

/** One operation; `url` is absolute (it is made relative to the API root here). */
export interface BatchOperation {
  id: string
  method: 'GET' | 'POST' | 'PATCH' | 'DELETE'
  url: string
  body?: unknown
  headers?: Record<string, string>
}

/** One operation's answer. */
export interface BatchResult {
  id: string
  status: number
  headers: Record<string, string>
  body: any
}

/** Sends `operations` as one `$batch`; returns the answers BC gave (absent ones were not run). */
export async function sendBatch(
  ctx: ConnectorContext<Config>,
  operations: BatchOperation[],
  options: { continueOnError?: boolean; atomic?: boolean } = {},
): Promise<Map<string, BatchResult>> {
  if (operations.length > maxBatchOperations)
    throw new ConnectorError(
      'rejected',
      `A BC $batch holds at most ${maxBatchOperations} operations; ${operations.length} were given.`,
    )
  const root = `${apiRoot(ctx.config)}/`
  const headers: Record<string, string> = {}
  if (options.continueOnError) headers.prefer = 'odata.continue-on-error'
  if (options.atomic) headers.isolation = 'snapshot'
  const requests = operations.map((op) => ({
    id: op.id,
    method: op.method,
    url: op.url.startsWith(root) ? op.url.slice(root.length) : op.url,
    headers: { 'content-type': 'application/json', ...op.headers },
    ...(op.body === undefined ? {} : { body: op.body }),
  }))
  const answer = await callApi<{ responses: BatchResult[] }>(ctx, {
    method: 'POST',
    url: `${root}$batch`,
    body: { requests },
    headers,
  })
  return new Map((answer.body?.responses ?? []).map((r) => [String(r.id), r]))
}

/** The ConnectorError for a failed batch operation. */
export function batchError(
  ctx: ConnectorContext<Config>,
  result: BatchResult | undefined,
  what: string,
): ConnectorError {
  if (!result) return new ConnectorError('transient', `BC did not run ${what} in the batch.`)
  const text = typeof result.body === 'string' ? result.body : JSON.stringify(result.body ?? '')
  return bcError(
    { status: result.status, text, retryAfter: result.headers?.['retry-after'], what },
    configSecrets(ctx.config),
  )
}
