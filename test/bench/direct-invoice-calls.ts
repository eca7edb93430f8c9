import { readFileSync } from 'node:fs'
import { connectors } from '../../connectors/index.ts'
import type { ConnectorContext } from '../../core/connector/connector.ts'
import { compileMapping } from '../../core/mapping/compile-mapping.ts'
import { memoryConnectionState } from '../support/memory-connection-state.ts'
import { memoryLogger } from '../support/sandbox-context.ts'
import { demoMappingTables } from './demo-mapping-tables.ts'
import type { SandboxEndpoint } from './sandbox-server.ts'

const MAPPING = new URL('../../manifests/recipes/bc-basware/invoice-to-bc.jsonata', import.meta.url)
/** The recipe's lookup aliases and the mapping tables behind them. */
const LOOKUPS = {
  department: 'basware-cost-centre-to-bc-department',
  taxGroup: 'basware-tax-code-to-bc-tax-group',
} as const

function context(id: string, endpoint: SandboxEndpoint): ConnectorContext<any> {
  return {
    connectionId: `direct-${id}`,
    config: endpoint.config,
    fetch: globalThis.fetch,
    state: memoryConnectionState(),
    memo: new Map(),
    log: memoryLogger(),
    now: () => new Date(),
  }
}

/**
 * The calls Ferry's invoice flow makes for one webhook-named invoice, made directly with the
 * connectors' own code over loopback (no queue, no database, no ledger): read by id, claim, the
 * recipe's mapping, BC deep insert, post, transfer response. Returns a function that runs them for
 * one invoice and resolves to the wall-clock milliseconds it took.
 */
export async function directInvoiceCalls(endpoints: Record<string, SandboxEndpoint>) {
  const basware = connectors.basware
  const bc = connectors['business-central']
  const bw = context('basware', endpoints.basware!)
  const erp = context('business-central', endpoints['business-central']!)
  const documents = basware.streams.accountingDocuments!
  const invoices = bc.streams.purchaseInvoices!
  const transfer = basware.acknowledge!.transferResponse!
  const mapping = compileMapping(readFileSync(MAPPING, 'utf8'))
  const tables = new Map<string, Map<string, unknown>>()
  for (const [alias, table] of Object.entries(LOOKUPS)) tables.set(alias, await demoMappingTables('', table))
  const lookup = (alias: string, key: unknown) => tables.get(alias)?.get(String(key))

  return async (invoiceId: string): Promise<number> => {
    const started = performance.now()
    let record: Record<string, unknown> | undefined
    for await (const page of documents.read!(bw, {
      cursor: null,
      query: { processingStatus: 'WaitingForTransfer' },
      ids: [invoiceId],
    }))
      record ??= page.records[0]
    if (!record) throw new Error(`invoice ${invoiceId} is not waiting for transfer`)
    await documents.claim!(bw, record)
    const mapped = (await mapping.evaluate(record, { lookup, recordKey: invoiceId })) as Record<
      string,
      unknown
    >
    const written = await invoices.write!(erp, {
      operation: 'create',
      record: mapped,
      idempotencyKey: `direct:${invoiceId}`,
    })
    if (written.status !== 'done') throw new Error(`BC write ${written.status} for ${invoiceId}`)
    const posted = await invoices.actions!.post!.run(erp, { id: written.id, etag: written.etag })
    await transfer.send(bw, {
      record,
      payload: {
        success: true,
        voucherNumber1: posted.number,
        responseMessage: `Posted as ${posted.number}`,
      },
      idempotencyKey: `direct:${invoiceId}:ack`,
    })
    return performance.now() - started
  }
}
