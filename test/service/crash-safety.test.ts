import type { ChildProcess } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { connectors } from '../../connectors/index.ts'
import { type ServedSandbox, serveSandboxes } from '../../runtime/demo/serve-sandboxes.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { type Service, startService } from '../../runtime/main/start-service.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { temporaryDataDir } from '../../runtime/store/embedded-postgres.ts'
import { spawnFerryWorker } from '../support/ferry-worker-process.ts'
import { flowSettled, installRecipeFlows } from '../support/install-recipe-flows.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

const INVOICES = 500
const masterKey = randomBytes(32)

describe('crash safety: a worker killed with SIGKILL again and again', () => {
  let t: TestDatabase
  let sandboxes: ServedSandbox[]
  let control: Service
  let worker: ChildProcess | undefined
  let dataDir: string | undefined
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
    if (dataDir) await fs.rm(dataDir, { recursive: true, force: true })
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

    const { tenantId, flowIds } = await installRecipeFlows({
      db: t.db,
      box,
      contexts: control.engine.deps.contexts,
      tenant: 'crash',
      recipe: 'bc-basware',
      connections: {
        bc: { connector: 'business-central', sandbox: bc.sandbox },
        basware: { connector: 'basware', sandbox: bw.sandbox },
      },
      flows: (f) => (f.name === 'basware-invoices-to-bc' ? f : undefined),
    })
    const flowId = flowIds['basware-invoices-to-bc']!
    dataDir = await temporaryDataDir('ferry-crash-')
    worker = spawnFerryWorker({ databaseUrl: t.connectionString, dataDir, masterKey })
    await control.flowControl.runNow(tenantId, flowId)

    const settled = () => flowSettled(t.db, flowId, waiting.invoiceIds.length)
    let kills = 0
    while (!(await settled()) && kills < 8) {
      await new Promise((r) => setTimeout(r, 1_500 + Math.random() * 2_500))
      worker.kill('SIGKILL')
      kills++
      await new Promise((r) => worker!.once('exit', r))
      worker = spawnFerryWorker({ databaseUrl: t.connectionString, dataDir, masterKey })
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
