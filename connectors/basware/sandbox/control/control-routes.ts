/**
 * The sandbox control API under `/__sandbox/…`: seed documents, send one back for re-transfer, inject
 * faults, change settings, read state and request counts, reset. Not part of Basware's API.
 */
import { Hono } from 'hono'
import type { AccountingDocument } from '../state/document-store.ts'
import { isoNow, type SandboxCore } from '../state/sandbox-core.ts'
import type { SandboxSettings } from '../state/sandbox-settings.ts'
import type { FaultRule } from './fault-injector.ts'
import type { DocumentChart } from './seed-documents.ts'

/** What the control API needs besides the shared state. */
export interface ControlHooks {
  /** Adds `count` generated documents (or the given ones) and notifies subscribers. */
  seed(input: {
    count?: number
    documents?: AccountingDocument[]
    processingStatus?: string
    /** Accounts on the coding rows: BC's numbers (default) or MISA's VAS numbers. */
    chart?: DocumentChart
  }): Promise<string[]>
  /** Back to the state right after start-up. */
  reset(): void
}

/** Routes of the control API. */
export function controlRoutes(core: SandboxCore, hooks: ControlHooks): Hono {
  const app = new Hono()

  app.post('/__sandbox/documents', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as Parameters<ControlHooks['seed']>[0]
    const invoiceIds = await hooks.seed(body)
    return c.json({ invoiceIds }, 201)
  })

  app.get('/__sandbox/documents', (c) => {
    const status = c.req.query('processingStatus')
    const ids = core.documents.query({
      processingStatus: status,
      p2pProcessingMode: c.req.query('p2pProcessingMode') ?? 'Standard',
    })
    return c.json({ count: ids.length, invoiceIds: ids })
  })

  app.get('/__sandbox/documents/:invoiceId', (c) => {
    const stored = core.documents.get(c.req.param('invoiceId'))
    return stored ? c.json(stored) : c.json({ error: 'unknown invoiceId' }, 404)
  })

  app.post('/__sandbox/documents/:invoiceId/retransfer', async (c) => {
    const invoiceId = c.req.param('invoiceId')
    if (!core.documents.get(invoiceId)) return c.json({ error: 'unknown invoiceId' }, 404)
    const to = core.documents.apply(invoiceId, 'retransfer', isoNow(core))
    if (!to)
      return c.json(
        { error: `cannot re-transfer from ${core.documents.get(invoiceId)!.document.processingStatus}` },
        409,
      )
    await core.notifier.documentEntered(invoiceId, to)
    return c.json({ invoiceId, processingStatus: to })
  })

  app.get('/__sandbox/stats', (c) => c.json(core.stats.toJSON()))
  app.post('/__sandbox/stats/reset', (c) => {
    core.stats.reset()
    return c.json({ ok: true })
  })

  app.get('/__sandbox/faults', (c) => c.json({ rules: core.faults.rules }))
  app.post('/__sandbox/faults', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as {
      rules?: FaultRule[]
      itemErrors?: Record<string, string>
      expireTokens?: boolean
    } & FaultRule
    const rules = body.rules ?? (body.status || body.delayMs ? [body] : [])
    for (const rule of rules) core.faults.add(rule)
    for (const [code, message] of Object.entries(body.itemErrors ?? {}))
      core.masterData.injectedErrors.set(code, message)
    if (body.expireTokens) core.tokens.expireAll()
    return c.json({ rules: core.faults.rules })
  })
  app.delete('/__sandbox/faults', (c) => {
    core.faults.clear()
    core.masterData.injectedErrors.clear()
    return c.json({ rules: [] })
  })

  app.get('/__sandbox/settings', (c) => c.json(core.settings))
  app.post('/__sandbox/settings', async (c) => {
    const body = (await c.req.json().catch(() => ({}))) as Partial<SandboxSettings>
    for (const key of Object.keys(body) as (keyof SandboxSettings)[]) {
      if (key in core.settings) (core.settings as unknown as Record<string, unknown>)[key] = body[key]
    }
    return c.json(core.settings)
  })

  app.get('/__sandbox/master-data/:collection', (c) =>
    c.json({ records: core.masterData.snapshot(c.req.param('collection')) }),
  )
  app.get('/__sandbox/master-data/lists/:listKey', (c) =>
    c.json({ records: core.masterData.snapshot(`lists/${c.req.param('listKey')}`) }),
  )

  app.get('/__sandbox/subscriptions', (c) => c.json({ subscriptions: core.notifier.subscriptions }))
  app.get('/__sandbox/tasks', (c) => c.json({ tasks: [...core.notifier.tasks.values()] }))

  app.post('/__sandbox/reset', (c) => {
    hooks.reset()
    return c.json({ ok: true })
  })

  return app
}
