/**
 * The sandbox control API (`/__sandbox/…`): seeding, clock, period lock, disconnect, the accountant's
 * "generate", faults, callback URL and faults, settings, immediate processing, stats and state reads.
 * Never part of MISA's API; the connector must not call it.
 */
import type { Context, Hono } from 'hono'
import { byReadType } from '../../dictionary-types.ts'
import { generateProposal } from '../rules/generate-proposal.ts'
import type { SandboxRuntime } from '../state/sandbox-runtime.ts'
import type { SandboxSettings } from '../state/sandbox-settings.ts'
import { type CallbackFault, type Fault, newTenant, type Tenant, tenantKey } from '../state/sandbox-state.ts'
import { putRecord, seedDemo } from './demo-seed.ts'

async function json(c: Context): Promise<Record<string, unknown>> {
  return ((await c.req.json().catch(() => ({}))) ?? {}) as Record<string, unknown>
}

/** Registers the control API. */
export function controlRoutes(app: Hono, sb: SandboxRuntime): void {
  const { state } = sb
  const pick = (c: Context, body: Record<string, unknown> = {}): Tenant => {
    const code = String(c.req.query('tenant') ?? body.orgCompanyCode ?? '').toLowerCase()
    const tenant = [...state.tenants.values()].find((t) => !code || t.orgCompanyCode.toLowerCase() === code)
    if (!tenant) throw new Error(`no tenant ${code}`)
    return tenant
  }
  app.onError((e, c) => c.json({ error: e.message }, 400))

  app.post('/__sandbox/reset', async (c) => {
    const body = await json(c)
    sb.close()
    Object.assign(state, {
      tenants: new Map(),
      tokens: new Map(),
      queue: [],
      faults: [],
      callbackFaults: [],
      deliveries: [],
      stats: new Map(),
    })
    seedDemo(state, { empty: body.seed === 'empty' })
    return c.json({ ok: true })
  })
  app.post('/__sandbox/tenants', async (c) => {
    const b = await json(c)
    const tenant = newTenant({
      appId: String(b.appId),
      accessCode: String(b.accessCode),
      orgCompanyCode: String(b.orgCompanyCode),
      appName: String(b.appName ?? b.orgCompanyCode),
      company: {
        company_name: String(b.companyName ?? b.orgCompanyCode),
        company_address: '',
        company_tax_code: String(b.taxCode ?? ''),
      },
      regime: (b.regime as Tenant['regime']) ?? 'TT99',
    })
    putRecord(
      tenant,
      6,
      {
        organization_unit_id: tenant.branchId,
        organization_unit_code: tenant.orgCompanyCode,
        organization_unit_name: tenant.appName,
        organization_unit_type_id: 1,
      },
      state.now(),
    )
    state.tenants.set(tenantKey(tenant.appId, tenant.orgCompanyCode), tenant)
    return c.json({ branchId: tenant.branchId })
  })
  app.post('/__sandbox/seed', async (c) => {
    const b = await json(c)
    const tenant = pick(c, b)
    const readType = Number(b.dataType)
    if (!byReadType(readType)) throw new Error(`unknown dataType ${b.dataType}`)
    for (const record of (b.records as Record<string, unknown>[]) ?? [])
      putRecord(tenant, readType, { ...record }, state.now())
    return c.json({ ok: true })
  })
  app.post('/__sandbox/delete-record', async (c) => {
    const b = await json(c)
    const now = state.now()
    const removed = pick(c, b).dictionaries.remove(
      Number(b.dataType),
      String(b.id),
      now.getTime(),
      now.toISOString(),
    )
    return c.json({ removed })
  })
  app.get('/__sandbox/clock', (c) =>
    c.json({ now: state.now().toISOString(), offsetMs: state.clockOffsetMs }),
  )
  app.post('/__sandbox/clock', async (c) => {
    const b = await json(c)
    if (typeof b.advanceMs === 'number') state.clockOffsetMs += b.advanceMs
    if (typeof b.set === 'string') state.clockOffsetMs += Date.parse(b.set) - state.now().getTime()
    return c.json({ now: state.now().toISOString() })
  })
  app.post('/__sandbox/period-lock', async (c) => {
    const b = await json(c)
    pick(c, b).lockedThrough = typeof b.lockedThrough === 'string' ? b.lockedThrough.slice(0, 10) : null
    return c.json({ ok: true })
  })
  app.post('/__sandbox/disconnect', async (c) => {
    const b = await json(c)
    const tenant = pick(c, b)
    tenant.disconnected = b.disconnected !== false
    if (typeof b.dbLinked === 'boolean') tenant.dbLinked = b.dbLinked
    return c.json({ disconnected: tenant.disconnected, dbLinked: tenant.dbLinked })
  })
  app.post('/__sandbox/callback-url', async (c) => {
    const b = await json(c)
    pick(c, b).callbackUrl = typeof b.url === 'string' ? b.url : null
    return c.json({ ok: true })
  })
  app.post('/__sandbox/generate', async (c) => {
    const b = await json(c)
    const tenant = pick(c, b)
    const generated = [...tenant.proposals.values()]
      .filter((p) => b.org_refid === undefined || p.orgRefid === b.org_refid)
      .filter((p) => generateProposal(tenant, p))
      .map((p) => ({ org_refid: p.orgRefid, refno: p.refno }))
    return c.json({ generated })
  })
  app.post('/__sandbox/faults', async (c) => {
    const b = await json(c)
    state.faults.push({
      fn: String(b.fn ?? '*'),
      mode: b.mode as Fault['mode'],
      count: Number(b.count ?? 1),
      delayMs: Number(b.delayMs ?? 65_000),
    })
    return c.json({ faults: state.faults })
  })
  app.delete('/__sandbox/faults', (c) => {
    state.faults = []
    state.callbackFaults = []
    return c.json({ ok: true })
  })
  app.post('/__sandbox/callbacks', async (c) => {
    const b = await json(c)
    state.callbackFaults.push({ mode: b.mode as CallbackFault['mode'], count: Number(b.count ?? 1) })
    return c.json({ callbackFaults: state.callbackFaults })
  })
  app.get('/__sandbox/callbacks', (c) => c.json(state.deliveries))
  app.get('/__sandbox/settings', (c) => c.json(state.settings))
  app.post('/__sandbox/settings', async (c) => {
    Object.assign(state.settings, (await json(c)) as Partial<SandboxSettings>)
    return c.json(state.settings)
  })
  app.post('/__sandbox/process', async (c) => c.json({ processed: await sb.process() }))
  app.get('/__sandbox/stats', (c) => c.json(Object.fromEntries(state.stats)))
  app.get('/__sandbox/proposals', (c) =>
    c.json([...pick(c).proposals.entries()].map(([key, p]) => ({ key, ...p }))),
  )
  app.get('/__sandbox/ledger', (c) => c.json(pick(c).ledger))
  app.get('/__sandbox/outbox', (c) => c.json(pick(c).outbox))
}
