/**
 * Outcomes of master-data writes still in progress at Basware: each pending write's correlation id
 * is its requestStatus id and the record's externalCode, so `outcomes.poll` can look the item up later.
 */
import type { ConnectorContext, WriteOutcome } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import type { Config } from './config.ts'
import { readRequestStatus } from './request-status.ts'

/** `<requestId>/<externalCode>`. */
export function correlationIdFor(requestId: string, externalCode: string): string {
  return `${requestId}/${externalCode}`
}

/** Resolves pending writes from their request statuses (one call per distinct request). */
export async function pollOutcomes(
  ctx: ConnectorContext<Config>,
  pending: { correlationId: string }[],
): Promise<WriteOutcome[]> {
  const byRequest = new Map<string, Awaited<ReturnType<typeof readRequestStatus>>>()
  const outcomes: WriteOutcome[] = []
  for (const { correlationId } of pending) {
    const slash = correlationId.indexOf('/')
    const requestId = correlationId.slice(0, slash)
    const externalCode = correlationId.slice(slash + 1)
    let status = byRequest.get(requestId)
    if (!status) {
      status = await readRequestStatus(ctx, requestId)
      byRequest.set(requestId, status)
    }
    const item = status.items.find((i) => i.externalCode === externalCode)
    if (status.status === 'InProgress' || !item) {
      outcomes.push({ correlationId, status: 'pending' })
    } else if (item.status === 'Error') {
      const message = (item.errors ?? [])
        .map((e) => e.message)
        .filter(Boolean)
        .join('; ')
      outcomes.push({
        correlationId,
        status: 'failed',
        error: new ConnectorError('rejected', `Basware refused '${externalCode}': ${message}`, {
          remoteMessage: message,
          remoteCode: item.errors?.[0]?.category,
        }),
      })
    } else {
      outcomes.push({
        correlationId,
        status: 'done',
        id: externalCode,
        detail: { itemStatus: item.status, requestId },
      })
    }
  }
  return outcomes
}
