/**
 * The Work 365 pattern end to end: the billing system (declared connector only) pushes finalized
 * invoices by webhook, the billing-bc recipe books each as a posted Business Central sales invoice,
 * once, with the recipe's defaults. A tenant that asks for the billing system's own invoice numbers
 * gets BC's No. Series message while Manual Nos. is off, and a replay after turning it on posts
 * each invoice once under the billing number.
 */
import { randomBytes } from 'node:crypto'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadConnectorRegistry } from '../../connectors/index.ts'
import type { Sandbox } from '../../core/connector/sandbox.ts'
import { catalogFromConnectors } from '../../core/manifest/catalog.ts'
import { createApiApp } from '../../runtime/api/create-api-app.ts'
import { silentLogger } from '../../runtime/log/create-logger.ts'
import { type Service, startService } from '../../runtime/main/start-service.ts'
import { createRecipeInstaller } from '../../runtime/recipes/create-recipe-installer.ts'
import { sandboxFetch } from '../../runtime/sandbox/sandbox-fetch.ts'
import { createSecretBox } from '../../runtime/secrets/secret-box.ts'
import { ensureTenant, issueApiKey } from '../../runtime/store/tenants-store.ts'
import { createTestDatabase, type TestDatabase } from '../support/test-database.ts'
import { waitFor } from '../support/wait-for.ts'

const registry = loadConnectorRegistry().registry
const BC_URL = 'http://bc.sandbox.localhost'
const MANUAL_NOS_MESSAGE =
  'You may not enter numbers manually. If you want to enter numbers manually, please activate Manual Nos. in No. Series S-INV.'
const LICENCE = {
  description: 'Microsoft 365 E3 (monthly)',
  productCode: 'CFQ7TTC0LFLX:0001',
  erpItemNumber: 'M365-E3',
  quantity: 25,
  unitPrice: 36,
  taxable: true,
  period: null,
}
const ONE_OFF = {
  ...LICENCE,
  description: 'Onboarding (hours)',
  productCode: null,
  erpItemNumber: null,
  quantity: 4,
  unitPrice: 150,
}

async function control(sandbox: Sandbox, baseUrl: string, path: string, body?: unknown): Promise<any> {
  const res = await sandbox.fetch(
    new Request(`${baseUrl}/__sandbox/${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    }),
  )
  return res.json()
}

describe('billing-bc recipe: webhook push → posted BC sales invoice, declared billing connector', () => {
  let t: TestDatabase
  let service: Service
  let bc: Sandbox
  let api: ReturnType<typeof createApiApp>
  const billingSandboxes: Sandbox[] = []
  let app: Service['app'] | undefined

  const bcState = async (set: string): Promise<Record<string, any>[]> => control(bc, BC_URL, `state/${set}`)

  /** A tenant that enabled billing-bc through the API, its flow enabled and its webhook registered. */
  async function tenantWith(label: string, parameters: Record<string, unknown>) {
    const billingUrl = `http://${label}.billing.localhost`
    const billing = await registry.billing!.sandbox!({
      baseUrl: billingUrl,
      seed: 'empty',
      fetch: async (input, init) => app!.fetch(new Request(input, init)),
    })
    billingSandboxes.push(billing)
    routes.push({ baseUrl: billingUrl, sandbox: billing })
    const tenant = await ensureTenant(t.db, label)
    const { key } = await issueApiKey(t.db, { role: 'tenant', tenantId: tenant.id })
    const call = async (method: string, path: string, body?: unknown): Promise<any> => {
      const res = await api.request(path, {
        method,
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      })
      const json = await res.json().catch(() => undefined)
      if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status} ${JSON.stringify(json)}`)
      return json
    }
    const bindings: Record<string, string> = {}
    for (const [role, connector, sandbox] of [
      ['billing', 'billing', billing],
      ['bc', 'business-central', bc],
    ] as const)
      bindings[role] = (
        await call('POST', '/v1/connections', { name: role, connector, config: sandbox.connectionConfig() })
      ).id
    const { flows } = await call('POST', '/v1/recipes/billing-bc/enable', { bindings, parameters })
    const flowId = flows[0].id as string
    await call('POST', `/v1/flows/${flowId}/enable`)
    const hook = `http://ferry.test/hooks/${tenant.id}/${bindings.billing}`
    expect(
      await control(billing, billingUrl, 'webhooks', {
        url: hook,
        secret: billing.connectionConfig().webhookSecret,
      }),
    ).toEqual({ url: hook, verified: true })
    const records = () =>
      t.db
        .selectFrom('records')
        .select(['state', 'sourceKey', 'source', 'error', 'targetNumber'])
        .where('flowId', '=', flowId)
        .execute()
    return {
      flowId,
      call,
      records,
      push: (customerId: string, lines: unknown[]) =>
        control(billing, billingUrl, 'invoices', { customerId, lines }),
      setStatus: (id: string, status: string) =>
        control(billing, billingUrl, `invoices/${id}/status`, { status }),
    }
  }
  const routes: { baseUrl: string; sandbox: Pick<Sandbox, 'fetch'> }[] = []

  beforeAll(async () => {
    t = await createTestDatabase('billing-bc-e2e')
    bc = await registry['business-central']!.sandbox!({ baseUrl: BC_URL, seed: 'demo' })
    routes.push({ baseUrl: BC_URL, sandbox: bc })
    const box = createSecretBox(randomBytes(32))
    service = await startService({
      db: t.db,
      connectionString: t.connectionString,
      box,
      registry,
      log: silentLogger,
      workers: true,
      fetch: (input, init) => sandboxFetch(routes)(input, init),
    })
    app = service.app
    api = createApiApp({
      db: t.db,
      box,
      registry,
      catalog: catalogFromConnectors(registry),
      flowControl: service.flowControl,
      log: silentLogger,
      contexts: service.engine.deps.contexts,
      recipes: createRecipeInstaller({ db: t.db, contexts: service.engine.deps.contexts }),
    })
  }, 120_000)
  afterAll(async () => {
    for (const b of billingSandboxes) await b.close()
    await bc?.close()
    await service?.stop()
    await t?.drop()
  })

  it('a pushed invoice is posted in BC once, with the default unit, the write-in item and no tax outside the US', {
    timeout: 180_000,
  }, async () => {
    const tenant = await tenantWith('csp-defaults', {})
    const invoice = await tenant.push('cus_0002', [LICENCE, ONE_OFF])
    await waitFor(
      'the pushed invoice delivered',
      async () => (await tenant.records()).some((r) => r.state === 'delivered'),
      120_000,
    )
    const booked = (await bcState('salesInvoices')).filter((i) => i.externalDocumentNumber === invoice.number)
    expect(booked).toHaveLength(1)
    expect(booked[0]).toMatchObject({
      customerNumber: '20000',
      status: 'Open',
      number: expect.stringMatching(/^PSI-/),
      currencyCode: 'USD',
      totalAmountExcludingTax: 1500,
      totalTaxAmount: 0,
    })
    const lines = (await bcState('salesInvoiceLines')).filter((l) => l.documentId === booked[0]!.id)
    expect(lines.map((l) => [l.lineObjectNumber, l.unitOfMeasureCode, l.quantity, l.taxCode])).toEqual([
      ['M365-E3', 'PCS', 25, ''],
      ['WRITE-IN', 'PCS', 4, ''],
    ])
    expect((await tenant.records())[0]).toMatchObject({ targetNumber: booked[0]!.number })

    // Paid later: the change is read back by id, finds the posted invoice and books nothing more.
    await tenant.setStatus(invoice.id, 'paid')
    await waitFor(
      'the paid invoice read back and settled',
      async () =>
        (await tenant.records()).some(
          (r) =>
            (r.source as { status?: string }).status === 'paid' && ['delivered', 'skipped'].includes(r.state),
        ),
      120_000,
    )
    expect(
      (await bcState('salesInvoices')).filter((i) => i.externalDocumentNumber === invoice.number),
    ).toHaveLength(1)
  })

  it('the billing invoice number is refused with BC’s message while Manual Nos. is off; after turning it on a replay posts it once', {
    timeout: 240_000,
  }, async () => {
    const tenant = await tenantWith('csp-own-numbers', { useSourceInvoiceNumber: true })
    const invoice = await tenant.push('cus_0003', [LICENCE])
    await waitFor(
      'the pushed invoice failed',
      async () => (await tenant.records()).some((r) => r.state === 'failed'),
      120_000,
    )
    const [failed] = await tenant.records()
    expect(String((failed!.error as { remoteMessage?: string }).remoteMessage)).toContain(MANUAL_NOS_MESSAGE)
    // Both billing sandboxes number from W365-10001: the customer tells the tenants' invoices apart.
    const ofThisTenant = async () =>
      (await bcState('salesInvoices')).filter(
        (i) => i.externalDocumentNumber === invoice.number && i.customerNumber === '30000',
      )
    expect(await ofThisTenant()).toEqual([])

    await control(bc, BC_URL, 'settings', { manualSalesInvoiceNumbers: true })
    const replay = await tenant.call('POST', '/v1/records/replay', {
      filter: { flowId: tenant.flowId, state: 'failed' },
      version: 'latest',
    })
    expect(replay.queued).toBe(1)
    await waitFor(
      'the replayed invoice delivered',
      async () => (await tenant.records()).every((r) => r.state === 'delivered'),
      120_000,
    )
    const booked = await ofThisTenant()
    expect(booked).toHaveLength(1)
    expect(booked[0]).toMatchObject({ number: invoice.number, status: 'Open' })
  })
})
