import { randomBytes } from 'node:crypto'
import { sql } from 'kysely'
import { catalogFromConnectors } from '../../../core/manifest/catalog.ts'
import { createApiApp } from '../../../runtime/api/create-api-app.ts'
import type { FlowControl } from '../../../runtime/engine/flow-control.ts'
import { silentLogger } from '../../../runtime/log/create-logger.ts'
import { createSecretBox } from '../../../runtime/secrets/secret-box.ts'
import { ensureTenant, issueApiKey } from '../../../runtime/store/tenants-store.ts'
import { startBenchDatabase } from '../bench-database.ts'
import { median } from '../median.ts'
import type { BenchOptions, BenchResult, BenchScenario } from '../scenario.ts'

const TARGET_MS = 200
const sizes = (quick: boolean) =>
  quick ? { records: 20_000, repeats: 5 } : { records: 100_000, repeats: 15 }

/** The reads the console's Activity, Exceptions, Overview and Diagnostics pages make. */
const reads = (flowId: string, cursor: string) => ({
  'records, first page': '/v1/records?limit=50',
  'records, failed': '/v1/records?state=failed&limit=50',
  'records, one flow delivered': `/v1/records?flow=${flowId}&state=delivered&limit=50`,
  'records, page 21': `/v1/records?limit=50&cursor=${cursor}`,
  'records, vendor invoice number': '/v1/records?document=1C26TAA0077777',
  'records, source key': '/v1/records?key=DOC-55555',
  'exceptions (grouped)': '/v1/exceptions',
  'overview, 14 days': '/v1/overview?days=14&timezone=Asia/Ho_Chi_Minh',
  diagnostics: '/v1/diagnostics',
})

/**
 * Time to the first byte of the console's reads for a tenant with N records (another tenant holds N
 * more): 85 % delivered, 10 % failed over five causes, 5 % queued, spread over 30 days, each source
 * record with a vendor invoice number. Each read is repeated; the figure is the slowest read's median.
 */
async function run({ quick }: BenchOptions): Promise<BenchResult> {
  const { records, repeats } = sizes(quick)
  const bench = await startBenchDatabase({ fsync: false })
  try {
    const db = bench.db
    const app = createApiApp({
      db,
      box: createSecretBox(randomBytes(32)),
      registry: {},
      catalog: catalogFromConnectors({}),
      flowControl: {} as FlowControl,
      log: silentLogger,
      recipesDir: '/nonexistent',
    })
    const tenants = [await ensureTenant(db, 'measured'), await ensureTenant(db, 'neighbour')]
    const key = (await issueApiKey(db, { role: 'tenant', tenantId: tenants[0]!.id })).key
    let flowId = ''
    for (const tenant of tenants) {
      const flow = await db
        .insertInto('flows')
        .values({ tenantId: tenant.id, name: 'invoices', currentVersion: 1 })
        .returning('id')
        .executeTakeFirstOrThrow()
      flowId ||= flow.id
      await sql`
        insert into records (id, tenant_id, flow_id, flow_version, source_key, source_version, state, source,
                             target_number, error, created_at, updated_at)
        select gen_random_uuid(), ${tenant.id}, ${flow.id}, 1, 'DOC-' || g, '1',
               case when g % 20 = 0 then 'queued' when g % 10 = 0 then 'failed' else 'delivered' end,
               jsonb_build_object('invoiceId', 'DOC-' || g, 'invoiceNumber', '1C26TAA' || lpad(g::text, 7, '0'),
                                  'supplierCode', 'S' || (g % 500), 'currencyCode', 'VND', 'grossSum', g * 1000),
               case when g % 10 <> 0 then 'PPI-' || g end,
               case when g % 10 = 0 and g % 20 <> 0 then jsonb_build_object('kind', 'rejected', 'code', 'C' || (g % 5),
                    'message', 'refused', 'remoteMessage', 'Cause ' || (g % 5) || ' for document ' || g) end,
               now() - (g % 30) * interval '1 day' - interval '5 minutes',
               now() - (g % 30) * interval '1 day'
          from generate_series(1, ${records}) g`.execute(db)
    }
    await sql`analyze`.execute(db)
    const get = async (path: string) => {
      const started = process.hrtime.bigint()
      const res = await app.request(path, { headers: { authorization: `Bearer ${key}` } })
      const reader = res.body!.getReader()
      await reader.read()
      const ms = Number(process.hrtime.bigint() - started) / 1e6
      await reader.cancel()
      if (res.status !== 200) throw new Error(`${path} answered ${res.status}`)
      return ms
    }
    let cursor = ''
    for (let page = 0; page < 20; page++) {
      const res = await app.request(`/v1/records?limit=50${cursor ? `&cursor=${cursor}` : ''}`, {
        headers: { authorization: `Bearer ${key}` },
      })
      cursor = ((await res.json()) as { nextCursor: string }).nextCursor
    }
    const medians: string[] = []
    const figures: number[] = []
    for (const [label, path] of Object.entries(reads(flowId, cursor))) {
      await get(path)
      const times: number[] = []
      for (let i = 0; i < repeats; i++) times.push(await get(path))
      const m = median(times)
      figures.push(m)
      medians.push(`${label} ${m.toFixed(1)} ms`)
    }
    const figure = Math.max(...figures)
    return {
      figure: Math.round(figure * 10) / 10,
      unit: 'ms (slowest read, median)',
      targetMet: figure < TARGET_MS,
      notes: `${records} records per tenant; ${medians.join('; ')}`,
      samples: figures,
    }
  } finally {
    await bench.stop()
  }
}

/** First byte of the console's reads with 100,000 records (issue 14). */
export const consoleReads: BenchScenario = {
  id: 'console-reads',
  title: 'Console reads: first byte with 100,000 records',
  workload:
    '100,000 records for the measured tenant and 100,000 for another (85 % delivered, 10 % failed over 5 causes, 5 % queued, over 30 days); each read of Activity (pages, filters, a page 21 deep, vendor invoice number), Exceptions, Overview and Diagnostics is timed to its first byte 15 times through the API app; the figure is the slowest read’s median',
  target: `every read’s first byte under ${TARGET_MS} ms`,
  run,
}
