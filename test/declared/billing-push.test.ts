/**
 * The Work 365 pattern's billing system, brought in through its declared connector only: the sandbox
 * verifies Ferry's hook endpoint by the declared handshake, pushes signed invoice events (records in
 * the payload) and id-only change events (read back over REST by id), and a resent event is stored once.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConnectorRegistry } from '../../connectors/index.ts'
import type { Connector } from '../../core/connector/connector.ts'
import type { Sandbox } from '../../core/connector/sandbox.ts'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { type Service, startService } from '../../runtime/main/start-service.ts'
import { sandboxFetch } from '../../runtime/sandbox/sandbox-fetch.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { saveConnection } from '../../runtime/store/connections-store.ts'
import { saveFlowVersion } from '../../runtime/store/flows-store.ts'
import { ensureTenant } from '../../runtime/store/tenants-store.ts'
import { memorySystem } from '../in-memory-connector/memory-system.ts'
import { testRegistry } from '../support/engine-harness.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

const billing = loadConnectorRegistry().registry.billing!
const registry: Record<string, Connector> = { ...testRegistry, billing }
const BILLING_URL = 'http://billing.sandbox.localhost'

const flow: FlowManifest = {
  version: 1,
  name: 'billing-invoices-to-ledger',
  connections: { billing: 'billing', ledger: 'memory' },
  source: { connection: 'billing', stream: 'invoices' },
  trigger: { webhook: true },
  map: `{ 'id': id, 'number': number, 'customer': customer.erpNumber, 'status': status, 'total': total }`,
  target: { connection: 'ledger', stream: 'documents', operation: 'upsert' },
}

describe('billing system: webhook push of invoices and REST read-back, declared only', () => {
  let t: TestDatabase
  let service: Service
  let sandbox: Sandbox
  let hookUrl: string
  const ledger = `billing-ledger-${Date.now()}`
  const box = createSecretBox(randomBytes(32))
  const control = async (path: string, body: unknown) => {
    const res = await sandbox.fetch(
      new Request(`${BILLING_URL}/__sandbox/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      }),
    )
    return (await res.json()) as any
  }
  const documents = () => memorySystem(ledger).table('documents')

  beforeAll(async () => {
    t = await createTestDatabase('billing-push')
    // The billing system's webhooks reach Ferry's ingress in-process; Ferry's calls reach the sandbox.
    let app: Service['app'] | undefined
    sandbox = await billing.sandbox!({
      baseUrl: BILLING_URL,
      seed: 'empty',
      fetch: async (input, init) => app!.fetch(new Request(input, init)),
    })
    service = await startService({
      db: t.db,
      connectionString: t.connectionString,
      box,
      registry,
      log: silentLogger,
      workers: true,
      fetch: sandboxFetch([{ baseUrl: BILLING_URL, sandbox }]),
    })
    app = service.app
    const tenantId = (await ensureTenant(t.db, 'csp')).id
    const source = await saveConnection(t.db, box, {
      tenantId,
      name: 'billing',
      connector: 'billing',
      config: sandbox.connectionConfig(),
      schema: billing.configSchema,
    })
    const target = await saveConnection(t.db, box, {
      tenantId,
      name: 'ledger',
      connector: 'memory',
      config: { systemId: ledger, token: 'memory-secret' },
      schema: registry.memory!.configSchema,
    })
    const saved = await saveFlowVersion(t.db, {
      tenantId,
      name: flow.name,
      manifest: flow as never,
      sourceFile: 'x',
      bindings: { billing: source.id, ledger: target.id },
    })
    await service.flowControl.enable(tenantId, saved.flow.id)
    hookUrl = `http://ferry.test/hooks/${tenantId}/${source.id}`
  })
  afterAll(async () => {
    await sandbox?.close()
    await service?.stop()
    await t?.drop()
  })

  it('the billing system verifies the hook endpoint through the declared handshake', async () => {
    expect(
      await control('webhooks', { url: hookUrl, secret: sandbox.connectionConfig().webhookSecret }),
    ).toEqual({ url: hookUrl, verified: true })
  })

  it('a finalized invoice pushed by webhook becomes a record and is delivered', async () => {
    const line = {
      description: 'Microsoft 365 E3',
      productCode: 'CFQ7TTC0LFLX',
      erpItemNumber: 'M365-E3',
      quantity: 2,
      unitPrice: 36,
      taxable: true,
      period: null,
    }
    const invoice = await control('invoices', { customerId: 'cus_0002', lines: [line] })
    await waitFor('the pushed invoice delivered', async () => documents().get(invoice.id))
    expect(documents().get(invoice.id)).toMatchObject({
      number: invoice.number,
      customer: '20000',
      status: 'finalized',
      total: 72,
    })
  })

  it('an id-only change is read back over REST, and a resent event is stored once', async () => {
    const [invoice] = [...documents().values()]
    await control(`invoices/${invoice!.id}/status`, { status: 'paid' })
    await waitFor(
      'the paid invoice read back and delivered',
      async () => documents().get(String(invoice!.id))?.status === 'paid',
    )
    const events = (await (await sandbox.fetch(new Request(`${BILLING_URL}/__sandbox/events`))).json()) as {
      id: string
      attempts: { status: number }[]
    }[]
    expect(events.every((e) => e.attempts.every((a) => a.status === 202))).toBe(true)
    const inbox = async () => (await t.db.selectFrom('webhookInbox').select('id').execute()).length
    const before = await inbox()
    await control(`events/${events[0]!.id}/redeliver`, {})
    expect(await inbox()).toBe(before)
  })
})
