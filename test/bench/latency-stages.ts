import { sql } from 'kysely'
import { QUEUES } from '../../runtime/queue/queues.ts'
import type { Db } from '../../runtime/store/database.ts'

/** The stages of {@link InvoiceLatency}, in the order an invoice passes them. */
export const STAGES = [
  'webhookPickup',
  'webhookJob',
  'runPickup',
  'runToRecord',
  'recordToDeliver',
  'deliverSetup',
  'mapAndClaim',
  'bcCalls',
  'transferResponse',
  'deliverRest',
] as const

/** Where one invoice's milliseconds went, from the notification's arrival at Ferry to Basware's receipt. */
export interface InvoiceLatency {
  invoiceId: string
  /** Inbox row (`received_at`) → transfer response stored by the Basware sandbox: the measured figure. */
  total: number
  /**
   * Consecutive stages that add up to `total` (nothing is left over). Queue hops are read from pg-boss's
   * own job rows (`created_on`, `started_on`); a hop the invoice did not take (no flow-run job when the
   * webhook worker reads the records itself) is 0 and its time is in the stage after it.
   */
  stages: {
    /** Inbox row stored → its webhook job fetched (commit, NOTIFY, pg-boss fetch). */
    webhookPickup: number
    /** Webhook job fetched → its flow-run job queued (the webhook worker's own work). */
    webhookJob: number
    /** Flow-run job queued → fetched (commit, NOTIFY, pg-boss fetch). */
    runPickup: number
    /** Flow-run job fetched (or, without one, the run queued) → record stored: run row, read by id (Basware GET), insert. */
    runToRecord: number
    /** Record stored → its deliver job fetched (commit, queue pickup; per-key FIFO). */
    recordToDeliver: number
    /** Deliver job fetched → mapping starts: record, program and connections loaded, earlier steps. */
    deliverSetup: number
    /** Mapping (`when` and `map`, pool hops) and the Basware claim (acknowledge) call. */
    mapAndClaim: number
    /** BC deep insert and post. */
    bcCalls: number
    /** The transfer response call, as Ferry timed it. */
    transferResponse: number
    /** The rest of the delivery: ledger/state writes, the acknowledge map, and clock skew between the timestamps. */
    deliverRest: number
  }
}

/** The timestamps and ledger durations one invoice left behind (input of {@link invoiceLatency}). */
export interface InvoiceTrace {
  invoiceId: string
  receivedAt: Date
  /** pg-boss's times of the jobs the invoice passed through, when the job was found. */
  webhookJobStartedAt?: Date
  runJobCreatedAt?: Date
  runJobStartedAt?: Date
  recordCreatedAt: Date
  deliverJobStartedAt?: Date
  /** Ledger events of the record's delivering attempt, in order. */
  events: { type: string; at: Date; durationMs: number | null }[]
  /** When the Basware sandbox stored the transfer response (its clock; same machine). */
  respondedAt: Date
}

const duration = (trace: InvoiceTrace, type: string) =>
  trace.events.filter((e) => e.type === type).reduce((sum, e) => sum + (e.durationMs ?? 0), 0)

/** Differences between consecutive checkpoints; a missing checkpoint takes the time of the one before it. */
function differences(start: number, checkpoints: (number | undefined)[]): number[] {
  let previous = start
  return checkpoints.map((at) => {
    if (at === undefined) return 0
    const d = at - previous
    previous = at
    return d
  })
}

/**
 * Splits an invoice's latency into stages that add up to the total. The ledger stamps events when they
 * are persisted, not when they happen, so mapping's start is the first persisted event minus the timed
 * steps before it (mapping and claim).
 */
export function invoiceLatency(trace: InvoiceTrace): InvoiceLatency {
  const received = trace.receivedAt.getTime()
  const total = trace.respondedAt.getTime() - received
  const mapAndClaim = duration(trace, 'mapped') + duration(trace, 'claimed')
  const firstPersisted = trace.events[0]?.at.getTime() ?? trace.recordCreatedAt.getTime()
  const bcCalls = duration(trace, 'written') + duration(trace, 'action')
  const transferResponse = duration(trace, 'acknowledged')
  const [webhookPickup, webhookJob, runPickup, runToRecord, recordToDeliver, deliverSetup] = differences(
    received,
    [
      trace.webhookJobStartedAt?.getTime(),
      trace.runJobCreatedAt?.getTime(),
      trace.runJobStartedAt?.getTime(),
      trace.recordCreatedAt.getTime(),
      trace.deliverJobStartedAt?.getTime(),
      firstPersisted - mapAndClaim,
    ],
  ) as [number, number, number, number, number, number]
  const deliverRest = trace.respondedAt.getTime() - firstPersisted - bcCalls - transferResponse
  return {
    invoiceId: trace.invoiceId,
    total,
    stages: {
      webhookPickup,
      webhookJob,
      runPickup,
      runToRecord,
      recordToDeliver,
      deliverSetup,
      mapAndClaim,
      bcCalls,
      transferResponse,
      deliverRest,
    },
  }
}

type JobTimes = { createdOn: Date; startedOn: Date | null }

// The database's CamelCasePlugin renames the columns of raw queries too.

/** pg-boss's times of the webhook, flow-run and delivery jobs, keyed by inbox id, invoice id and record id. */
async function jobTimes(db: Db) {
  const { rows } = await sql<{
    name: string
    data: { inboxId?: string; ids?: string[]; recordId?: string }
    createdOn: Date
    startedOn: Date | null
  }>`select name, data, created_on, started_on from pgboss.job
     where name in (${QUEUES.webhook}, ${QUEUES.flowRun}, ${QUEUES.deliver}, ${QUEUES.deliverOrdered})`.execute(
    db,
  )
  const webhook = new Map<string, JobTimes>()
  const run = new Map<string, JobTimes>()
  const deliver = new Map<string, JobTimes>()
  for (const row of rows) {
    const times = { createdOn: row.createdOn, startedOn: row.startedOn }
    if (row.name === QUEUES.webhook && row.data.inboxId) webhook.set(row.data.inboxId, times)
    else if (row.name === QUEUES.flowRun) for (const id of row.data.ids ?? []) run.set(id, times)
    else if (row.data.recordId) deliver.set(row.data.recordId, times)
  }
  return { webhook, run, deliver }
}

/**
 * Collects the traces of `invoiceIds` from Ferry's inbox, records, ledger and pg-boss's job rows, and
 * from the sandbox's document history (`responseTime`). Invoices without a delivered record or a
 * response are left out.
 */
export async function collectTraces(
  db: Db,
  flowId: string,
  invoiceIds: readonly string[],
  responseTime: (invoiceId: string) => Promise<Date | undefined>,
): Promise<InvoiceTrace[]> {
  const received = new Map<string, { at: Date; inboxId: string }>()
  for (const row of await db.selectFrom('webhookInbox').select(['id', 'receivedAt', 'events']).execute()) {
    for (const event of row.events as { ids?: string[] }[])
      for (const id of event.ids ?? []) {
        const known = received.get(id)
        if (!known || known.at > row.receivedAt) received.set(id, { at: row.receivedAt, inboxId: row.id })
      }
  }
  const jobs = await jobTimes(db)
  const traces: InvoiceTrace[] = []
  for (const invoiceId of invoiceIds) {
    const record = await db
      .selectFrom('records')
      .select(['id', 'createdAt', 'state'])
      .where('flowId', '=', flowId)
      .where('sourceKey', '=', invoiceId)
      .executeTakeFirst()
    const inbox = received.get(invoiceId)
    const respondedAt = await responseTime(invoiceId)
    if (record?.state !== 'delivered' || !inbox || !respondedAt) continue
    const events = await db
      .selectFrom('recordEvents')
      .select(['type', 'at', 'durationMs'])
      .where('recordId', '=', record.id)
      .orderBy('id')
      .execute()
    const runJob = jobs.run.get(invoiceId)
    traces.push({
      invoiceId,
      receivedAt: inbox.at,
      webhookJobStartedAt: jobs.webhook.get(inbox.inboxId)?.startedOn ?? undefined,
      runJobCreatedAt: runJob?.createdOn,
      runJobStartedAt: runJob?.startedOn ?? undefined,
      recordCreatedAt: record.createdAt,
      deliverJobStartedAt: jobs.deliver.get(record.id)?.startedOn ?? undefined,
      events,
      respondedAt,
    })
  }
  return traces
}
