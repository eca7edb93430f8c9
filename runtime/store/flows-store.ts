import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { Db } from './database.ts'

/** A flow with its current version. */
export interface FlowRow {
  id: string
  tenantId: string
  name: string
  recipe: string | null
  enabled: boolean
  /** `shadow`: reads, maps and checks, writes nothing (see the shadow-mode migration). */
  mode: 'live' | 'shadow'
  currentVersion: number
}

/** One immutable version of a flow: the resolved manifest and which connection each alias is bound to. */
export interface FlowVersionRow {
  flowId: string
  version: number
  manifest: Record<string, unknown>
  sourceFile: string
  sourceHash: string
  bindings: Record<string, string>
}

/**
 * Stores a manifest as the flow's newest version. An unchanged manifest with unchanged bindings
 * returns the existing version instead of creating a new one.
 */
export async function saveFlowVersion(
  db: Db,
  input: {
    tenantId: string
    name: string
    manifest: Record<string, unknown>
    sourceFile: string
    bindings: Record<string, string>
    recipe?: string
  },
): Promise<{ flow: FlowRow; version: FlowVersionRow; created: boolean }> {
  const sourceHash = createHash('sha256')
    .update(JSON.stringify([input.manifest, input.bindings]))
    .digest('hex')
  return db.transaction().execute(async (trx) => {
    let flow = await trx
      .selectFrom('flows')
      .selectAll()
      .where('tenantId', '=', input.tenantId)
      .where('name', '=', input.name)
      .forUpdate()
      .executeTakeFirst()
    if (!flow) {
      flow = await trx
        .insertInto('flows')
        .values({
          tenantId: input.tenantId,
          name: input.name,
          currentVersion: 0,
          recipe: input.recipe ?? null,
        })
        .returningAll()
        .executeTakeFirstOrThrow()
    }
    const current = await trx
      .selectFrom('flowVersions')
      .selectAll()
      .where('flowId', '=', flow.id)
      .where('version', '=', flow.currentVersion)
      .executeTakeFirst()
    if (current && current.sourceHash === sourceHash)
      return { flow: pickFlow(flow), version: current, created: false }
    const version = await trx
      .insertInto('flowVersions')
      .values({
        flowId: flow.id,
        version: flow.currentVersion + 1,
        manifest: JSON.stringify(input.manifest),
        sourceFile: input.sourceFile,
        sourceHash,
        bindings: JSON.stringify(input.bindings),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const updated = await trx
      .updateTable('flows')
      .set({ currentVersion: version.version, updatedAt: new Date() })
      .where('id', '=', flow.id)
      .returningAll()
      .executeTakeFirstOrThrow()
    return { flow: pickFlow(updated), version, created: true }
  })
}

function pickFlow(f: FlowRow & Record<string, unknown>): FlowRow {
  return {
    id: f.id,
    tenantId: f.tenantId,
    name: f.name,
    recipe: f.recipe,
    enabled: f.enabled,
    mode: f.mode,
    currentVersion: f.currentVersion,
  }
}

/** Reads one version of a flow. */
export async function getFlowVersion(
  db: Db,
  flowId: string,
  version: number,
): Promise<FlowVersionRow | undefined> {
  return db
    .selectFrom('flowVersions')
    .selectAll()
    .where('flowId', '=', flowId)
    .where('version', '=', version)
    .executeTakeFirst()
}

/** Reads a flow of a tenant. */
export async function getFlow(db: Db, tenantId: string, flowId: string): Promise<FlowRow | undefined> {
  const f = await db
    .selectFrom('flows')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .where('id', '=', flowId)
    .executeTakeFirst()
  return f && pickFlow(f)
}

/** Lists a tenant's flows. */
export async function listFlows(db: Db, tenantId: string): Promise<FlowRow[]> {
  const rows = await db
    .selectFrom('flows')
    .selectAll()
    .where('tenantId', '=', tenantId)
    .orderBy('name')
    .execute()
  return rows.map(pickFlow)
}

/** Lists a flow's versions, newest first. */
export async function listFlowVersions(db: Db, flowId: string) {
  return db
    .selectFrom('flowVersions')
    .select(['version', 'sourceFile', 'sourceHash', 'bindings', 'createdAt'])
    .where('flowId', '=', flowId)
    .orderBy('version', 'desc')
    .execute()
}

/** Stamps the time a run of the flow last read its source to the end. */
export async function markFlowPolled(db: Db, flowId: string): Promise<void> {
  await sql`update flows set last_polled_at = now() where id = ${flowId}`.execute(db)
}

/** When a run of the flow last read its source to the end (null: never). */
export async function flowLastPolledAt(db: Db, flowId: string): Promise<Date | null> {
  const { rows } = await sql<{ lastPolledAt: Date | null }>`
    select last_polled_at from flows where id = ${flowId}`.execute(db)
  return rows[0]?.lastPolledAt ?? null
}

/** Turns a flow on or off. */
export async function setFlowEnabled(db: Db, flowId: string, enabled: boolean): Promise<void> {
  await db.updateTable('flows').set({ enabled, updatedAt: new Date() }).where('id', '=', flowId).execute()
}

/**
 * Another flow of the recipe `flowId` was enabled from, by its manifest name (`bc-vendors-to-misa`;
 * stored as `<recipe>-<name>`), for the same tenant; undefined when `flowId` is not a recipe's or the
 * recipe has no such flow.
 */
export async function recipeSiblingFlow(
  db: Db,
  flowId: string,
  name: string,
): Promise<{ id: string; currentVersion: number } | undefined> {
  return db
    .selectFrom('flows as sibling')
    .innerJoin('flows as self', (j) =>
      j.onRef('self.tenantId', '=', 'sibling.tenantId').onRef('self.recipe', '=', 'sibling.recipe'),
    )
    .select(['sibling.id', 'sibling.currentVersion'])
    .where('self.id', '=', flowId)
    .where(sql<string>`sibling.name`, '=', sql<string>`self.recipe || '-' || ${name}`)
    .executeTakeFirst()
}

/**
 * The connections a tenant bound to a recipe's roles, from the current versions of its flows (a
 * recipe's flows name their connections by the recipe's role names).
 */
export async function recipeBindings(
  db: Db,
  tenantId: string,
  recipe: string,
): Promise<Record<string, string>> {
  const rows = await db
    .selectFrom('flows')
    .innerJoin('flowVersions', (j) =>
      j
        .onRef('flowVersions.flowId', '=', 'flows.id')
        .onRef('flowVersions.version', '=', 'flows.currentVersion'),
    )
    .select('flowVersions.bindings')
    .where('flows.tenantId', '=', tenantId)
    .where('flows.recipe', '=', recipe)
    .execute()
  return Object.assign({}, ...rows.map((r) => r.bindings as Record<string, string>))
}

/**
 * The flow's mode, read at the start of a page's transaction with the flow row locked until it
 * commits: one flow's pages (a scheduled read, a webhook's, a backfill's) are stored one at a time, so
 * records' source order (`seq`) is also the order their pages commit and their jobs are queued in —
 * two reads interleaving their inserts once delivered a key's invoices out of order. Going live waits
 * for the page too and then finds its records. (`no key update`: records referencing the flow can
 * still be inserted by others; only pages of this flow wait.)
 */
export async function flowModeForPage(db: Db, flowId: string): Promise<'live' | 'shadow'> {
  const { rows } = await sql<{ mode: 'live' | 'shadow' }>`
    select mode from flows where id = ${flowId} for no key update`.execute(db)
  return rows[0]?.mode ?? 'live'
}

/**
 * Sets the flow's mode, holding the flow row until the transaction ends: pages being read commit
 * first (they hold it, see {@link flowModeForPage}) and later pages see the new mode.
 */
export async function setFlowMode(db: Db, flowId: string, mode: 'live' | 'shadow'): Promise<void> {
  await sql`select id from flows where id = ${flowId} for update`.execute(db)
  await db.updateTable('flows').set({ mode, updatedAt: new Date() }).where('id', '=', flowId).execute()
}

/** Every enabled flow with its current version's manifest and bindings (`connectionTenantOf`: only the flows of that connection's tenant). */
export async function enabledFlowVersions(db: Db, options: { connectionTenantOf?: string } = {}) {
  const tenantOf = options.connectionTenantOf
  return db
    .selectFrom('flows')
    .innerJoin('flowVersions', (j) =>
      j
        .onRef('flowVersions.flowId', '=', 'flows.id')
        .onRef('flowVersions.version', '=', 'flows.currentVersion'),
    )
    .select([
      'flows.id',
      'flows.tenantId',
      'flows.currentVersion',
      'flowVersions.manifest',
      'flowVersions.bindings',
    ])
    .where('flows.enabled', '=', true)
    .$if(tenantOf !== undefined, (q) =>
      q.where('flows.tenantId', '=', (eb) =>
        eb.selectFrom('connections').select('connections.tenantId').where('connections.id', '=', tenantOf!),
      ),
    )
    .execute()
}
