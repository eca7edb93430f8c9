/**
 * Sends asynchronous MISA writes in batches and maps each request to `pending` with its correlation
 * id. A batch MISA refuses as a whole (InvalidParam) fails its items; transient, auth and config
 * errors are thrown so the runtime retries or parks the batch.
 */
import type { ConnectorContext, WriteResult } from '../../../core/connector/connector.ts'
import { isConnectorError } from '../../../core/connector/connector-error.ts'
import { callApi } from '../call-api.ts'
import type { Config } from '../config.ts'

/** One prepared item: what to send and the correlation id its outcome will carry; or a local failure. */
export type Prepared =
  | { item: Record<string, unknown>; correlationId: string }
  | { failed: WriteResult & { status: 'failed' } }

/** Sends prepared items to `fn` in chunks of `max`, the items under `key`; returns results in order. */
export async function saveInBatches(
  ctx: ConnectorContext<Config>,
  prepared: Prepared[],
  opts: { fn: string; key: string; max: number; method?: 'POST' | 'DELETE' },
): Promise<WriteResult[]> {
  const results: WriteResult[] = prepared.map((p) =>
    'failed' in p ? p.failed : { status: 'pending', correlationId: p.correlationId },
  )
  const sendable = prepared.flatMap((p, index) => ('failed' in p ? [] : [{ ...p, index }]))
  for (let i = 0; i < sendable.length; i += opts.max) {
    const chunk = sendable.slice(i, i + opts.max)
    try {
      const { call } = await callApi(ctx, opts.fn, { [opts.key]: chunk.map((c) => c.item) }, opts.method)
      for (const c of chunk)
        results[c.index] = {
          status: 'pending',
          correlationId: c.correlationId,
          calls: [{ ...call, remoteIds: { org_refid: c.correlationId } }],
        }
    } catch (e) {
      if (!isConnectorError(e) || e.kind !== 'rejected') throw e
      for (const c of chunk) results[c.index] = { status: 'failed', error: e }
    }
  }
  return results
}
