/**
 * Reconciliations, their per-flow summaries and their documents (the `reconciliations`,
 * `reconciliation_flows` and `reconciliation_items` tables, owned here).
 */
import { type ColumnType, type Generated, sql, type Transaction } from 'kysely'
import type { ReconcileItem } from '../../core/reconcile/reconcile-item.ts'
import type { Database, Db } from './database.ts'

type Json<T> = ColumnType<T, string, string>

interface ReconciliationsTable {
  id: Generated<string>
  tenantId: string
  flowId: string | null
  recipe: string | null
  periodFrom: ColumnType<string, string, string>
  periodTo: ColumnType<string, string, string>
  trigger: string
  state: string
  counts: ColumnType<Record<string, number>, string | undefined, string>
  error: Json<Record<string, unknown>> | null
  createdAt: ColumnType<Date, undefined, never>
  startedAt: Date | null
  finishedAt: Date | null
}

interface ReconciliationFlowsTable {
  reconciliationId: string
  flowId: string
  flowName: string
  targetView: string
  counts: Json<Record<string, number>>
  finishedAt: Date
}

interface ReconciliationItemsTable {
  reconciliationId: string
  seq: number
  flowId: string
  class: string
  sourceKey: string | null
  recordId: string | null
  ferryState: string | null
  party: string | null
  reference: string | null
  date: string | null
  currency: string | null
  amount: ColumnType<string | null, number | null, number | null>
  targetIds: Json<string[]>
  targetNumbers: Json<string[]>
  differences: Json<ReconcileItem['differences']>
}

type StoreDb = Db | Transaction<Database>

const tables = (db: StoreDb) =>
  db.withTables<{
    reconciliations: ReconciliationsTable
    reconciliationFlows: ReconciliationFlowsTable
    reconciliationItems: ReconciliationItemsTable
  }>()

/** The lifecycle of a reconciliation. */
export type ReconciliationState = 'queued' | 'running' | 'done' | 'failed'

/** A reconciliation as stored. Periods are `yyyy-mm-dd`, `to` exclusive. */
export interface ReconciliationRow {
  id: string
  tenantId: string
  flowId: string | null
  recipe: string | null
  periodFrom: string
  periodTo: string
  trigger: string
  state: ReconciliationState
  /** Documents per class over every flow (empty until done). */
  counts: Record<string, number>
  error: Record<string, unknown> | null
  createdAt: Date
  startedAt: Date | null
  finishedAt: Date | null
}

/** One flow's part of a reconciliation. */
export interface ReconciliationFlowRow {
  flowId: string
  flowName: string
  /** `read`: the target was read back; `ferry`: it cannot be, the target's answers Ferry recorded stand in. */
  targetView: 'read' | 'ferry'
  counts: Record<string, number>
}

/** A stored item: a reconciled document of one flow. */
export type ReconciliationItemRow = ReconcileItem & { seq: number; flowId: string }

const columns = [
  'id',
  'tenantId',
  'flowId',
  'recipe',
  sql<string>`period_from::text`.as('periodFrom'),
  sql<string>`period_to::text`.as('periodTo'),
  'trigger',
  'state',
  'counts',
  'error',
  'createdAt',
  'startedAt',
  'finishedAt',
] as const

/** Creates a queued reconciliation of a flow or a recipe. */
export async function createReconciliation(
  db: StoreDb,
  input: {
    tenantId: string
    flowId?: string
    recipe?: string
    period: { from: string; to: string }
    trigger: string
  },
): Promise<ReconciliationRow> {
  const { id } = await tables(db)
    .insertInto('reconciliations')
    .values({
      tenantId: input.tenantId,
      flowId: input.flowId ?? null,
      recipe: input.recipe ?? null,
      periodFrom: input.period.from,
      periodTo: input.period.to,
      trigger: input.trigger,
      state: 'queued',
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  return (await getReconciliationById(db, id))!
}

/** A reconciliation by id, whoever owns it (the worker's read). */
export async function getReconciliationById(db: StoreDb, id: string): Promise<ReconciliationRow | undefined> {
  return tables(db)
    .selectFrom('reconciliations')
    .select(columns)
    .where('id', '=', id)
    .executeTakeFirst() as Promise<ReconciliationRow | undefined>
}

/** A tenant's reconciliation. */
export async function getReconciliation(
  db: StoreDb,
  tenantId: string,
  id: string,
): Promise<ReconciliationRow | undefined> {
  return tables(db)
    .selectFrom('reconciliations')
    .select(columns)
    .where('id', '=', id)
    .where('tenantId', '=', tenantId)
    .executeTakeFirst() as Promise<ReconciliationRow | undefined>
}

/** A tenant's reconciliations, newest first, optionally of one flow or one recipe. */
export async function listReconciliations(
  db: StoreDb,
  tenantId: string,
  filter: { flowId?: string; recipe?: string; limit: number },
): Promise<ReconciliationRow[]> {
  let q = tables(db).selectFrom('reconciliations').select(columns).where('tenantId', '=', tenantId)
  if (filter.flowId) q = q.where('flowId', '=', filter.flowId)
  if (filter.recipe) q = q.where('recipe', '=', filter.recipe)
  return q.orderBy('createdAt', 'desc').orderBy('id', 'desc').limit(filter.limit).execute() as Promise<
    ReconciliationRow[]
  >
}

/** Marks a reconciliation running and drops what an interrupted earlier attempt left behind. */
export async function startReconciliation(db: Db, id: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await tables(trx).deleteFrom('reconciliationItems').where('reconciliationId', '=', id).execute()
    await tables(trx).deleteFrom('reconciliationFlows').where('reconciliationId', '=', id).execute()
    await tables(trx)
      .updateTable('reconciliations')
      .set({ state: 'running', startedAt: sql`now()`, error: null })
      .where('id', '=', id)
      .execute()
  })
}

const ITEMS_PER_INSERT = 500

/** Stores one flow's items and summary in one transaction; returns the next free item number. */
export async function saveReconciliationFlow(
  db: Db,
  reconciliationId: string,
  flow: ReconciliationFlowRow,
  items: readonly ReconcileItem[],
  firstSeq: number,
): Promise<number> {
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < items.length; i += ITEMS_PER_INSERT) {
      await tables(trx)
        .insertInto('reconciliationItems')
        .values(
          items.slice(i, i + ITEMS_PER_INSERT).map((item, j) => ({
            reconciliationId,
            seq: firstSeq + i + j,
            flowId: flow.flowId,
            class: item.class,
            sourceKey: item.sourceKey ?? null,
            recordId: item.recordId ?? null,
            ferryState: item.ferryState ?? null,
            party: item.party ?? null,
            reference: item.reference ?? null,
            date: item.date ?? null,
            currency: item.currency ?? null,
            amount: item.amount ?? null,
            targetIds: JSON.stringify(item.targetIds),
            targetNumbers: JSON.stringify(item.targetNumbers),
            differences: JSON.stringify(item.differences),
          })),
        )
        .execute()
    }
    await tables(trx)
      .insertInto('reconciliationFlows')
      .values({ reconciliationId, ...flow, counts: JSON.stringify(flow.counts), finishedAt: new Date() })
      .execute()
  })
  return firstSeq + items.length
}

/** Ends a reconciliation: done with its counts, or failed with an error. */
export async function finishReconciliation(
  db: StoreDb,
  id: string,
  outcome: { counts: Record<string, number> } | { error: Record<string, unknown> },
): Promise<void> {
  await tables(db)
    .updateTable('reconciliations')
    .set(
      'counts' in outcome
        ? { state: 'done', counts: JSON.stringify(outcome.counts), finishedAt: sql`now()` }
        : { state: 'failed', error: JSON.stringify(outcome.error), finishedAt: sql`now()` },
    )
    .where('id', '=', id)
    .execute()
}

/** The per-flow summaries of a reconciliation, by flow name. */
export async function listReconciliationFlows(db: StoreDb, id: string): Promise<ReconciliationFlowRow[]> {
  return tables(db)
    .selectFrom('reconciliationFlows')
    .select(['flowId', 'flowName', 'targetView', 'counts'])
    .where('reconciliationId', '=', id)
    .orderBy('flowName')
    .execute() as Promise<ReconciliationFlowRow[]>
}

/** A page of a reconciliation's items in item order, optionally of some classes and one flow. */
export async function listReconciliationItems(
  db: StoreDb,
  id: string,
  page: { classes?: readonly string[]; flowId?: string; afterSeq?: number; limit: number },
): Promise<ReconciliationItemRow[]> {
  let q = tables(db)
    .selectFrom('reconciliationItems')
    .selectAll()
    .where('reconciliationId', '=', id)
    .where('seq', '>', page.afterSeq ?? -1)
  if (page.classes && page.classes.length > 0) q = q.where('class', 'in', [...page.classes])
  if (page.flowId) q = q.where('flowId', '=', page.flowId)
  const rows = await q.orderBy('seq').limit(page.limit).execute()
  return rows.map(({ reconciliationId: _, ...row }) => {
    const item: Record<string, unknown> = {
      ...row,
      amount: row.amount === null ? undefined : Number(row.amount),
    }
    for (const [k, v] of Object.entries(item)) if (v === null) delete item[k]
    return item as unknown as ReconciliationItemRow
  })
}

/**
 * Unreconciled documents (anything not matched) per flow and class, as the newest finished
 * reconciliation of each flow left them; for one tenant or all.
 */
export async function unreconciledByFlow(
  db: StoreDb,
  tenantId: string | undefined,
): Promise<{ flowName: string; class: string; count: number }[]> {
  const scope = tenantId === undefined ? sql`true` : sql`r.tenant_id = ${tenantId}`
  const { rows } = await sql<{ flowName: string; class: string; count: string }>`
    with latest as (
      select distinct on (f.flow_id) f.flow_name, f.counts
        from reconciliation_flows f join reconciliations r on r.id = f.reconciliation_id
       where ${scope}
       order by f.flow_id, f.finished_at desc)
    select flow_name, c.key as class, sum(c.value::int)::text as count
      from latest, jsonb_each_text(latest.counts) c
     where c.key <> 'matched'
     group by flow_name, c.key
     order by flow_name, c.key`.execute(db)
  return rows.map((r) => ({ flowName: r.flowName, class: r.class, count: Number(r.count) }))
}
