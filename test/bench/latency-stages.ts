import type { Db } from '../../runtime/store/database.ts'

/** Where one invoice's milliseconds went, from the notification's arrival at Ferry to Basware's receipt. */
export interface InvoiceLatency {
  invoiceId: string
  /** Inbox row (`received_at`) → transfer response stored by the Basware sandbox: the measured figure. */
  total: number
  stages: {
    /** Inbox → record stored: webhook job, flow-run job, run row, read by id (Basware GET), insert. */
    inboxToRecord: number
    /** Record stored → its deliver job starts (queue pickup; per-key FIFO). */
    recordToDeliver: number
    /** Mapping and the Basware claim (acknowledge) call. */
    mapAndClaim: number
    /** BC deep insert and post. */
    bcCalls: number
    /** The transfer response call, as Ferry timed it. */
    transferResponse: number
    /** The rest: ledger/state writes between the calls and clock skew between the timestamps. */
    other: number
  }
}

/** The timestamps and ledger durations one invoice left behind (input of {@link invoiceLatency}). */
export interface InvoiceTrace {
  invoiceId: string
  receivedAt: Date
  recordCreatedAt: Date
  /** Ledger events of the record's delivering attempt, in order. */
  events: { type: string; at: Date; durationMs: number | null }[]
  /** When the Basware sandbox stored the transfer response (its clock; same machine). */
  respondedAt: Date
}

const duration = (trace: InvoiceTrace, type: string) =>
  trace.events.filter((e) => e.type === type).reduce((sum, e) => sum + (e.durationMs ?? 0), 0)

/**
 * Splits an invoice's latency into stages. The ledger stamps events when they are persisted, not
 * when they happen, so the deliver job's start is the first persisted event minus the timed steps
 * before it (mapping and claim).
 */
export function invoiceLatency(trace: InvoiceTrace): InvoiceLatency {
  const total = trace.respondedAt.getTime() - trace.receivedAt.getTime()
  const inboxToRecord = trace.recordCreatedAt.getTime() - trace.receivedAt.getTime()
  const mapAndClaim = duration(trace, 'mapped') + duration(trace, 'claimed')
  const firstPersisted = trace.events[0]?.at.getTime() ?? trace.recordCreatedAt.getTime()
  const recordToDeliver = firstPersisted - mapAndClaim - trace.recordCreatedAt.getTime()
  const bcCalls = duration(trace, 'written') + duration(trace, 'action')
  const transferResponse = duration(trace, 'acknowledged')
  const other = total - inboxToRecord - recordToDeliver - mapAndClaim - bcCalls - transferResponse
  return {
    invoiceId: trace.invoiceId,
    total,
    stages: { inboxToRecord, recordToDeliver, mapAndClaim, bcCalls, transferResponse, other },
  }
}

/**
 * Collects the traces of `invoiceIds` from Ferry's inbox, records and ledger and from the sandbox's
 * document history (`responseTime`). Invoices without a delivered record or a response are left out.
 */
export async function collectTraces(
  db: Db,
  flowId: string,
  invoiceIds: readonly string[],
  responseTime: (invoiceId: string) => Promise<Date | undefined>,
): Promise<InvoiceTrace[]> {
  const received = new Map<string, Date>()
  for (const row of await db.selectFrom('webhookInbox').select(['receivedAt', 'events']).execute()) {
    for (const event of row.events as { ids?: string[] }[])
      for (const id of event.ids ?? []) {
        const known = received.get(id)
        if (!known || known > row.receivedAt) received.set(id, row.receivedAt)
      }
  }
  const traces: InvoiceTrace[] = []
  for (const invoiceId of invoiceIds) {
    const record = await db
      .selectFrom('records')
      .select(['id', 'createdAt', 'state'])
      .where('flowId', '=', flowId)
      .where('sourceKey', '=', invoiceId)
      .executeTakeFirst()
    const receivedAt = received.get(invoiceId)
    const respondedAt = await responseTime(invoiceId)
    if (record?.state !== 'delivered' || !receivedAt || !respondedAt) continue
    const events = await db
      .selectFrom('recordEvents')
      .select(['type', 'at', 'durationMs'])
      .where('recordId', '=', record.id)
      .orderBy('id')
      .execute()
    traces.push({ invoiceId, receivedAt, recordCreatedAt: record.createdAt, events, respondedAt })
  }
  return traces
}
