import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import path from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectors } from '../../connectors/index.ts'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { defaultRecipesDir, loadRecipes } from '../../runtime/api/load-recipes.ts'
import { type ServedSandbox, serveSandboxes } from '../../runtime/demo/serve-sandboxes.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { type Service, startService } from '../../runtime/main/start-service.ts'
import { createRecipeInstaller } from '../../runtime/recipes/create-recipe-installer.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { saveConnection } from '../../runtime/store/connections-store.ts'
import { temporaryDataDir } from '../../runtime/store/embedded-postgres.ts'
import { listMappingRows, saveMappingRows } from '../../runtime/store/mapping-rows-store.ts'
import { ensureTenant } from '../../runtime/store/tenants-store.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

const INVOICES = 500
const masterKey = randomBytes(32)

/** A `ferry worker` child process, exactly as an operator starts one. */
function startWorker(databaseUrl: string, dataDir: string): ChildProcess {
  const root = path.resolve(import.meta.dirname, '../..')
  return spawn(
    process.execPath,
    [path.join(root, 'node_modules/tsx/dist/cli.mjs'), path.join(root, 'runtime/cli/main.ts'), 'worker'],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: databaseUrl,
        FERRY_MASTER_KEY: masterKey.toString('hex'),
        FERRY_DATA_DIR: dataDir,
        FERRY_LOG_LEVEL: 'error',
      },
      stdio: 'ignore',
    },
  )
}

describe('crash safety: a worker killed with SIGKILL again and again', () => {
  let t: TestDatabase
  let sandboxes: ServedSandbox[]
  let control: Service
  let worker: ChildProcess | undefined
  const box = createSecretBox(masterKey)

  beforeAll(async () => {
    t = await createTestDatabase('crash-safety')
    sandboxes = await serveSandboxes({
      'business-central': connectors['business-central'],
      basware: connectors.basware,
    })
    control = await startService({
      db: t.db,
      connectionString: t.connectionString,
      box,
      registry: connectors,
      log: silentLogger,
      workers: false,
    })
  })
  afterAll(async () => {
    worker?.kill('SIGKILL')
    await control.stop()
    for (const s of sandboxes) await s.close()
    await t.drop()
  })

  it(`posts each of ${INVOICES} Basware invoices in BC exactly once and answers Basware exactly once`, {
    timeout: 240_000,
  }, async () => {
    const bc = sandboxes.find((s) => s.connectorId === 'business-central')!
    const bw = sandboxes.find((s) => s.connectorId === 'basware')!
    await fetch(`${bw.baseUrl}/__sandbox/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ count: INVOICES }),
    })
    const waiting = (await (
      await fetch(`${bw.baseUrl}/__sandbox/documents?processingStatus=WaitingForTransfer`)
    ).json()) as { invoiceIds: string[] }
    expect(waiting.invoiceIds.length).toBeGreaterThanOrEqual(INVOICES)

    const tenantId = (await ensureTenant(t.db, 'crash')).id
    const bindings: Record<string, string> = {}
    for (const [role, s] of [
      ['bc', bc],
      ['basware', bw],
    ] as const) {
      const connector = connectors[s.connectorId as keyof typeof connectors]
      bindings[role] = (
        await saveConnection(t.db, box, {
          tenantId,
          name: role,
          connector: s.connectorId,
          config: s.sandbox.connectionConfig(),
          schema: connector.configSchema,
        })
      ).id
    }
    const recipe = loadRecipes(defaultRecipesDir, catalogFromConnectors(connectors), silentLogger).find(
      (r) => r.name === 'bc-basware',
    )!
    const invoicesOnly = { ...recipe, flows: recipe.flows.filter((f) => f.name === 'basware-invoices-to-bc') }
    const { flows } = await createRecipeInstaller({
      db: t.db,
      contexts: control.engine.deps.contexts,
    }).enable(tenantId, invoicesOnly, { bindings, parameters: {} })
    for (const table of Object.keys(recipe.manifest.mappingTables ?? {})) {
      const rows = await listMappingRows(t.db, tenantId, table)
      await saveMappingRows(
        t.db,
        tenantId,
        table,
        rows.map((r) => ({ key: r.key, value: r.value, status: 'confirmed' as const })),
      )
    }
    const flowId = flows[0]!.id
    const dataDir = await temporaryDataDir('ferry-crash-')
    worker = startWorker(t.connectionString, dataDir)
    await control.flowControl.runNow(tenantId, flowId)

    const settled = async () => {
      const rows = await t.db
        .selectFrom('records')
        .select(['state', 'sourceKey'])
        .where('flowId', '=', flowId)
        .execute()
      // A document re-read after its transfer is a new version, skipped by the flow's `when`: settled too.
      const done = new Set(
        rows.filter((r) => r.state === 'delivered' || r.state === 'failed').map((r) => r.sourceKey),
      )
      return (
        done.size >= waiting.invoiceIds.length &&
        rows.every((r) => r.state === 'delivered' || r.state === 'failed' || r.state === 'skipped')
      )
    }
    let kills = 0
    while (!(await settled()) && kills < 8) {
      await new Promise((r) => setTimeout(r, 1_500 + Math.random() * 2_500))
      worker.kill('SIGKILL')
      kills++
      await new Promise((r) => worker!.once('exit', r))
      worker = startWorker(t.connectionString, dataDir)
      // A run cut short by a kill is asked for again (as the schedule would); the checkpoint makes it resume.
      await control.flowControl.runNow(tenantId, flowId)
    }
    await waitFor('every record settled', settled, 150_000)
    expect(kills).toBeGreaterThan(0)

    const records = await t.db
      .selectFrom('records')
      .select(['state', 'sourceKey', 'targetId', 'error'])
      .where('flowId', '=', flowId)
      .execute()
    expect(records.filter((r) => r.state === 'failed')).toEqual([])
    // A document seen again after its transfer (an export snapshot) is a new version, skipped by `when`.
    const delivered = records.filter((r) => r.state === 'delivered')
    expect(new Set(delivered.map((r) => r.sourceKey)).size).toBe(delivered.length)
    expect(delivered).toHaveLength(waiting.invoiceIds.length)

    const invoices = (await (await fetch(`${bc.baseUrl}/__sandbox/state/purchaseInvoices`)).json()) as {
      id: string
      vendorInvoiceNumber: string
      vendorNumber: string
      status: string
    }[]
    const keys = invoices.map((i) => `${i.vendorNumber}|${i.vendorInvoiceNumber}`)
    expect(new Set(keys).size).toBe(keys.length)
    const byId = new Map(invoices.map((i) => [i.id, i]))
    const notPosted = delivered.filter((r) => byId.get(r.targetId ?? '')?.status !== 'Open')
    expect(notPosted).toEqual([])
    for (const id of waiting.invoiceIds) {
      const doc = (await (await fetch(`${bw.baseUrl}/__sandbox/documents/${id}`)).json()) as {
        history: { action: string; success?: boolean }[]
        document: { processingStatus: string }
      }
      const successes = doc.history.filter(
        (h) => h.action.toLowerCase().includes('transfer') && h.success === true,
      )
      expect(successes, `transfer responses of ${id}`).toHaveLength(1)
      expect(doc.document.processingStatus).toBe('Transferred')
    }
  })
})
