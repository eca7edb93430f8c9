/**
 * The declared Basware streams beside the hand-written ones, on one sandbox and the same data: the
 * same records with the same number of calls for reads and lookups; the documented difference for
 * imports (one POST, no requestStatus follow-up).
 */
import { describe, expect, it } from 'vitest'
import type { Connector, ConnectorContext } from '../../core/connector/connector.ts'
import { memoryConnectionState } from '../../test/support/memory-connection-state.ts'
import { startSandboxContext } from '../../test/support/sandbox-context.ts'
import { basware } from '../basware/index.ts'
import { POLL_SCHEDULE_KEY } from '../basware/request-status.ts'
import { loadConnectorRegistry } from '../index.ts'

const declared = loadConnectorRegistry().registry['basware-declared']!

/** The hand-written connector's context and the declared one's, on one sandbox. */
async function sideBySide() {
  const env = await startSandboxContext(basware)
  env.ctx.memo.set(POLL_SCHEDULE_KEY, { firstMs: 150, maxStepMs: 200, totalMs: 5_000 })
  const declaredCtx: ConnectorContext = {
    ...env.ctx,
    config: { ...env.ctx.config, companyCode: 'VN01' },
    memo: new Map(),
    state: memoryConnectionState(),
  }
  const base = String(env.ctx.config.baseUrl)
  const control = async (method: string, path: string, body?: unknown): Promise<any> =>
    (
      await env.sandbox.fetch(
        new Request(`${base}/__sandbox/${path}`, {
          method,
          body: body === undefined ? undefined : JSON.stringify(body),
        }),
      )
    ).json()
  /** Runs `fn` and returns its result and the remote calls it made (token requests included). */
  const counted = async <T>(fn: () => Promise<T>) => {
    const before = env.fetch.calls.length
    const result = await fn()
    const calls = env.fetch.calls
      .slice(before)
      .map((r) => `${r.method} ${new URL(r.url).pathname.replace(/\/__s3\/.*/, '/__s3/…')}`)
    return { result, calls }
  }
  return { ...env, declaredCtx, control, counted }
}

async function readAll(
  connector: Connector<any>,
  ctx: ConnectorContext<any>,
  stream: string,
  req: Record<string, unknown>,
) {
  const pages = []
  for await (const page of connector.streams[stream]!.read!(ctx, { cursor: null, query: {}, ...req }))
    pages.push(page)
  return pages.flatMap((p) => p.records)
}

describe('basware-declared side by side with the hand-written basware streams', () => {
  it('accountingDocuments: the same invoices in the same order with the same calls (302 + download per page, 404 as empty)', async () => {
    const { sandbox, ctx, declaredCtx, counted } = await sideBySide()
    await sandbox.produce!(60)
    for (const query of [{ processingStatus: 'WaitingForTransfer' }, { processingStatus: 'Transferred' }]) {
      const hand = await counted(() => readAll(basware, ctx, 'accountingDocuments', { query, pageSize: 25 }))
      const yaml = await counted(() =>
        readAll(declared, declaredCtx, 'accountingDocuments', { query, pageSize: 25 }),
      )
      expect(yaml.result).toEqual(hand.result)
      expect(yaml.calls).toEqual(hand.calls)
    }
    // 84 invoices waiting in pages of 25: 4 pages; the first read of each connector fetched a token.
    const again = await counted(() =>
      readAll(declared, declaredCtx, 'accountingDocuments', {
        query: { processingStatus: 'WaitingForTransfer' },
        pageSize: 25,
      }),
    )
    expect(again.result).toHaveLength(84)
    expect(again.calls).toEqual(
      Array(4).fill(['GET /basware/v1/accountingDocuments', 'GET /basware/__s3/…']).flat(),
    )
    await sandbox.close()
  })

  it('accountingDocuments by ids (a notification): the same invoices, unknown ids skipped, with the same calls', async () => {
    const { sandbox, ctx, declaredCtx, counted, control } = await sideBySide()
    const { invoiceIds } = await control('GET', 'documents?processingStatus=WaitingForTransfer')
    const ids = [invoiceIds[0], 'no-such-invoice', invoiceIds[5]]
    const query = { processingStatus: 'WaitingForTransfer' }
    const hand = await counted(() => readAll(basware, ctx, 'accountingDocuments', { query, ids }))
    const yaml = await counted(() => readAll(declared, declaredCtx, 'accountingDocuments', { query, ids }))
    expect(hand.result.map((d) => d.invoiceId)).toEqual([invoiceIds[0], invoiceIds[5]])
    expect(yaml.result).toEqual(hand.result)
    // The same calls; the hand-written stream reads named documents side by side (up to 8 at once), so
    // their order on the wire is not fixed — the result's order is, and is checked above.
    expect([...yaml.calls].sort()).toEqual([...hand.calls].sort())
    await sandbox.close()
  })

  it('vendors: find returns the same record with the same call; a vendor import stores the same record', async () => {
    const { sandbox, ctx, declaredCtx, counted, control } = await sideBySide()
    const vendor = (externalCode: string) => ({
      externalCode,
      vendorCode: externalCode.slice(-6),
      name: 'Công ty CP Bao Bì Hà Nội',
      companies: [{ companyCode: 'VN01' }],
      paymentTerms: { paymentTermCode: '30 DAYS' },
    })
    const hand = await counted(() =>
      basware.streams.vendors!.write!(ctx, {
        operation: 'upsert',
        record: vendor('VN01_HAND_1'),
        idempotencyKey: 'k1',
      }),
    )
    const yaml = await counted(() =>
      declared.streams.vendors!.write!(declaredCtx, {
        operation: 'upsert',
        record: vendor('VN01_YAML_1'),
        idempotencyKey: 'k2',
      }),
    )
    expect(hand.result).toMatchObject({ status: 'done', id: 'VN01_HAND_1' })
    expect(yaml.result).toMatchObject({ status: 'done', id: 'VN01_YAML_1' })
    const stored = (await control('GET', 'master-data/vendors')).records as Record<string, unknown>[]
    const strip = ({ externalCode: _c, vendorCode: _v, lastUpdated: _l, ...rest }: Record<string, unknown>) =>
      rest
    expect(stored.map(strip)).toEqual([strip(vendor('VN01_HAND_1')), strip(vendor('VN01_YAML_1'))])
    // The documented difference: the hand-written import waits for requestStatus, the declared one cannot.
    expect(hand.calls.filter((c) => c.startsWith('GET /basware/v1/requestStatus/')).length).toBeGreaterThan(0)
    expect(yaml.calls.filter((c) => c !== 'POST /basware/v1/tokens')).toEqual(['POST /basware/v1/vendors'])

    for (const code of ['VN01_HAND_1', 'NO_SUCH_VENDOR']) {
      const found = await counted(() => basware.streams.vendors!.find!(ctx, { externalCode: code }))
      const foundYaml = await counted(() =>
        declared.streams.vendors!.find!(declaredCtx, { externalCode: code }),
      )
      expect(foundYaml.result?.id).toEqual(found.result?.id)
      expect(foundYaml.result?.record).toEqual(found.result?.record)
      expect(foundYaml.calls).toEqual(found.calls)
    }
    await sandbox.close()
  })

  it('vendors read (declared only: the hand-written streams import vendors but never list them): header paging, 404 as empty', async () => {
    const { sandbox, ctx, declaredCtx, counted, control } = await sideBySide()
    const empty = await counted(() => readAll(declared, declaredCtx, 'vendors', { pageSize: 2 }))
    expect(empty.result).toEqual([])
    expect(empty.calls).toEqual(['POST /basware/v1/tokens', 'GET /basware/v1/vendors'])
    const records = Array.from({ length: 5 }, (_, i) => ({
      externalCode: `VN01_V${i}`,
      vendorCode: `V${i}`,
      name: `Vendor ${i}`,
      companies: [{ companyCode: 'VN01' }],
    }))
    const written = await basware.streams.vendors!.writeMany!(
      ctx,
      records.map((record, i) => ({ operation: 'upsert' as const, record, idempotencyKey: `v${i}` })),
    )
    expect(written.map((r) => r.status)).toEqual(Array(5).fill('done'))
    const read = await counted(() => readAll(declared, declaredCtx, 'vendors', { pageSize: 2 }))
    expect(read.result).toEqual((await control('GET', 'master-data/vendors')).records)
    expect(read.calls).toEqual(Array(3).fill('GET /basware/v1/vendors'))
    await sandbox.close()
  })
})
