import { randomBytes, randomUUID } from 'node:crypto'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { createApiApp } from '../../runtime/api/create-api-app.ts'
import { createConnectionContexts } from '../../runtime/engine/connection-contexts.ts'
import { type FlowControl, NotFoundError } from '../../runtime/engine/flow-control.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { createRecipeInstaller } from '../../runtime/recipes/create-recipe-installer.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { createBulkRetry } from '../../runtime/store/bulk-retries-store.ts'
import { getFlow } from '../../runtime/store/flows-store.ts'
import { saveProposedRows } from '../../runtime/store/mapping-rows-store.ts'
import { putReconcileSchedule } from '../../runtime/store/reconcile-schedules-store.ts'
import { createReconciliation } from '../../runtime/store/reconciliations-store.ts'
import { insertRecords } from '../../runtime/store/records-store.ts'
import { startRun } from '../../runtime/store/runs-store.ts'
import { ensureTenant, issueApiKey } from '../../runtime/store/tenants-store.ts'
import { testRegistry } from '../support/engine-harness.ts'
import { createTestDatabase } from '../support/test-database.ts'

/** The secret value every fixture connection is created with; it must never appear in a response. */
export const SECRET = 'memory-secret'

/** A flow manifest for the in-memory connector (JSON is YAML). */
export const flowText = (name: string) =>
  JSON.stringify({
    version: 1,
    name,
    connections: { src: 'memory', dst: 'memory' },
    source: { connection: 'src', stream: 'invoices', pageSize: 10 },
    map: "{ 'ref': id, 'amount': amount }",
    target: { connection: 'dst', stream: 'documents', operation: 'create', match: { ref: 'ref' } },
  })

/**
 * A FlowControl that records calls (the pg-boss one needs running workers): tenant-scoped like the
 * real one, so a foreign flow id throws NotFoundError.
 */
export function recordingFlowControl(db: Parameters<typeof getFlow>[0]) {
  const calls: { method: string; tenantId: string; args: unknown[] }[] = []
  const guard = async (tenantId: string, flowId: string) => {
    if (!(await getFlow(db, tenantId, flowId))) throw new NotFoundError('flow', flowId)
  }
  const control: FlowControl = {
    async enable(tenantId, flowId) {
      await guard(tenantId, flowId)
      calls.push({ method: 'enable', tenantId, args: [flowId] })
      await db.updateTable('flows').set({ enabled: true }).where('id', '=', flowId).execute()
    },
    async disable(tenantId, flowId) {
      await guard(tenantId, flowId)
      calls.push({ method: 'disable', tenantId, args: [flowId] })
      await db.updateTable('flows').set({ enabled: false }).where('id', '=', flowId).execute()
    },
    async runNow(tenantId, flowId) {
      await guard(tenantId, flowId)
      calls.push({ method: 'runNow', tenantId, args: [flowId] })
      return { queued: true }
    },
    async backfill(tenantId, flowId, window) {
      await guard(tenantId, flowId)
      calls.push({ method: 'backfill', tenantId, args: [flowId, window] })
      return { scope: `backfill:${window.from}`, queued: true }
    },
    async replay(tenantId, ids, options) {
      calls.push({ method: 'replay', tenantId, args: [ids, options] })
      return { queued: ids.length, skipped: 0 }
    },
    async shadow(tenantId, flowId) {
      await guard(tenantId, flowId)
      calls.push({ method: 'shadow', tenantId, args: [flowId] })
      await db.updateTable('flows').set({ mode: 'shadow' }).where('id', '=', flowId).execute()
    },
    async goLive(tenantId, flowId, options) {
      await guard(tenantId, flowId)
      calls.push({ method: 'goLive', tenantId, args: [flowId, options] })
      if (!options.dryRun)
        await db.updateTable('flows').set({ mode: 'live' }).where('id', '=', flowId).execute()
      return { flowId, flowName: 'flow', dryRun: options.dryRun, linked: [], toWrite: [], inFlight: 0 }
    },
    async renewSubscription(tenantId, id) {
      calls.push({ method: 'renewSubscription', tenantId, args: [id] })
    },
  }
  return { control, calls }
}

/**
 * A test database with an API app, an admin key, and two tenants; tenant A owns one of everything.
 * With `recipesDir`, the app enables that folder's recipes with the real recipe installer.
 */
export async function createApiFixture(label: string, options: { recipesDir?: string } = {}) {
  const t = await createTestDatabase(label)
  const db = t.db
  const box = createSecretBox(randomBytes(32))
  const flow = recordingFlowControl(db)
  const contexts = createConnectionContexts({ db, box, registry: testRegistry, log: silentLogger })
  const app = createApiApp({
    db,
    box,
    registry: testRegistry,
    catalog: catalogFromConnectors(testRegistry),
    flowControl: flow.control,
    log: silentLogger,
    metricsCacheMs: 0,
    contexts,
    recipesDir: options.recipesDir ?? '/nonexistent',
    ...(options.recipesDir ? { recipes: createRecipeInstaller({ db, contexts }) } : {}),
  })
  const admin = await issueApiKey(db, { role: 'admin' })
  const tenantA = await ensureTenant(db, 'tenant-a')
  const tenantB = await ensureTenant(db, 'tenant-b')
  const keyA = (await issueApiKey(db, { role: 'tenant', tenantId: tenantA.id })).key
  const keyB = (await issueApiKey(db, { role: 'tenant', tenantId: tenantB.id })).key

  const call = async (
    key: string | undefined,
    method: string,
    path: string,
    body?: unknown,
    headers = {},
  ) => {
    const res = await app.request(path, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    })
    const text = await res.text()
    let json: any
    try {
      json = JSON.parse(text)
    } catch {}
    return { status: res.status, headers: res.headers, text, json }
  }

  /** Seeds tenant A's connections, a flow, a run with records and ledger events, and a subscription. */
  async function seedTenantA() {
    const mk = async (name: string) =>
      (
        await call(keyA, 'POST', '/v1/connections', {
          name,
          connector: 'memory',
          config: { systemId: `sys-${name}`, token: SECRET },
        })
      ).json
    const src = await mk('src')
    const dst = await mk('dst')
    const saved = (
      await call(keyA, 'POST', '/v1/flows', {
        text: flowText('invoices'),
        bindings: { src: src.id, dst: dst.id },
      })
    ).json
    const run = await startRun(db, {
      tenantId: tenantA.id,
      flowId: saved.flow.id,
      flowVersion: 1,
      trigger: 'test',
    })
    const recordIds = [randomUUID(), randomUUID(), randomUUID()]
    await insertRecords(
      db,
      recordIds.map((id, i) => ({
        id,
        tenantId: tenantA.id,
        flowId: saved.flow.id,
        flowVersion: 1,
        runId: run.id,
        sourceKey: `INV-${i + 1}`,
        sourceVersion: '1',
        orderKey: null,
        source: { id: `INV-${i + 1}`, amount: 10 * i },
      })),
    )
    await db.updateTable('records').set({ state: 'delivered' }).where('id', '=', recordIds[0]!).execute()
    const sub = await db
      .insertInto('subscriptions')
      .values({
        tenantId: tenantA.id,
        connectionId: src.id,
        stream: 'invoices',
        remoteId: 'remote-1',
        secret: 'subscription-signing-secret',
        data: JSON.stringify({}),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    const reconciliation = await createReconciliation(db, {
      tenantId: tenantA.id,
      flowId: saved.flow.id,
      period: { from: '2026-01-01', to: '2026-02-01' },
      trigger: 'test',
    })
    const schedule = await putReconcileSchedule(
      db,
      {
        tenantId: tenantA.id,
        flowId: saved.flow.id,
        recipe: null,
        period: { days: 1 },
        at: '02:00',
        timezone: 'UTC',
      },
      (now) => now,
    )
    const mappingTable = 'a-accounts'
    await saveProposedRows(db, tenantA.id, mappingTable, [
      { key: 'A-KEY', label: 'A', value: 'A-VALUE', match: 'code', detail: 'A → A' },
    ])
    return {
      src,
      dst,
      flowId: saved.flow.id as string,
      runId: run.id,
      recordIds,
      subscriptionId: sub.id,
      mappingTable,
      reconciliationId: reconciliation.id,
      scheduleId: schedule.id,
    }
  }

  /**
   * Gives tenant A (seeded) one failed record, hence one exception group, and a bulk retry of it:
   * the ids the exceptions and progress routes take. Kept apart from the seed, whose record counts
   * other tests assert.
   */
  async function seedExceptionGroup(seed: Awaited<ReturnType<typeof seedTenantA>>) {
    const recordId = randomUUID()
    await insertRecords(db, [
      {
        id: recordId,
        tenantId: tenantA.id,
        flowId: seed.flowId,
        flowVersion: 1,
        runId: seed.runId,
        sourceKey: 'INV-FAILED',
        sourceVersion: '1',
        orderKey: null,
        source: { id: 'INV-FAILED', amount: 1 },
      },
    ])
    await db
      .updateTable('records')
      .set({
        state: 'failed',
        error: JSON.stringify({ kind: 'rejected', code: 'closed', message: 'The posting period is closed' }),
      })
      .where('id', '=', recordId)
      .execute()
    const groups = (await call(keyA, 'GET', '/v1/exceptions')).json.items
    const retry = await createBulkRetry(db, tenantA.id, 'seed', [recordId])
    return { recordId, cause: groups[0].cause as string, bulkRetryId: retry.id }
  }

  return { t, db, app, box, admin, tenantA, tenantB, keyA, keyB, call, flow, seedTenantA, seedExceptionGroup }
}

/** A valid body per operation id for tenant A's seed: tests vary one part of a request that is otherwise fine. */
export const validBodies = (
  s: Awaited<ReturnType<Awaited<ReturnType<typeof createApiFixture>>['seedTenantA']>>,
) =>
  ({
    createTenant: { name: 'intruder' },
    issueApiKey: { name: 'intruder' },
    issueAdminKey: { name: 'intruder' },
    updateConnection: { config: { systemId: 'stolen' } },
    backfillFlow: { from: '2026-01-01T00:00:00Z', to: '2026-02-01T00:00:00Z' },
    replayRecords: { ids: s.recordIds, version: 'latest' },
    saveFlow: { text: '{}', bindings: { src: s.src.id, dst: s.dst.id } },
    enableRecipe: { bindings: { src: s.src.id } },
    validateManifests: { file: 'x.flow.yaml', text: 'version: 1' },
    createConnection: { name: 'intruder', connector: 'memory', config: { systemId: 'x', token: 'y' } },
    confirmMappingRow: { value: 'stolen' },
    beginConsent: { redirectUri: 'http://ferry.localhost/console/integrations/callback' },
    completeConsent: { callbackUrl: 'http://ferry.localhost/console/integrations/callback?code=c&state=s' },
    createReconciliation: { flow: s.flowId, from: '2026-01-01', to: '2026-02-01' },
    putReconcileSchedule: { flow: s.flowId, period: { days: 1 }, at: '02:00' },
  }) as Record<string, unknown>
