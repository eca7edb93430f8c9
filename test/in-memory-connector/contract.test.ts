import { randomUUID } from 'node:crypto'
import type { ConnectorContext } from '../../core/connector/connector.ts'
import { describeConnectorContract } from '../contract/connector-contract.ts'
import { memoryConnectionState } from '../support/memory-connection-state.ts'
import { memoryLogger } from '../support/sandbox-context.ts'
import { type MemoryConfig, memoryConnector } from './index.ts'
import { memorySystem } from './memory-system.ts'

describeConnectorContract('memory', async () => {
  const systemId = `contract-${randomUUID()}`
  const system = memorySystem(systemId)
  system.seed(
    'invoices',
    Array.from({ length: 25 }, (_, i) => ({ id: `INV-${i}`, amount: i })),
  )
  const log = memoryLogger()
  const context = (token: string): ConnectorContext<MemoryConfig> => ({
    connectionId: `memory-${systemId}`,
    config: { systemId, token },
    fetch: () => Promise.reject(new Error('the in-memory connector has no network')),
    state: memoryConnectionState(),
    memo: new Map(),
    log,
    now: () => new Date(),
  })
  let n = 0
  const document = () => ({ id: `DOC-${++n}`, amount: n })
  const byId = (record: Record<string, unknown>) => ({ id: record.id })
  return {
    connector: memoryConnector,
    ctx: context('memory-secret'),
    badSecretCtx: context('wrong-token'),
    secrets: ['memory-secret'],
    logLines: log.lines,
    read: { stream: 'invoices', pageSize: 5, minRecords: 20 },
    write: { stream: 'documents', operation: 'create', record: document, match: byId },
    acknowledge: { operation: 'result', record: () => ({ id: 'INV-1' }), payload: { ok: true } },
    action: { stream: 'documents', name: 'post', record: document, match: byId },
    writeMany: {
      stream: 'masters',
      operation: 'upsert',
      good: document,
      bad: () => ({ ...document(), invalid: true }),
    },
    outcome: {
      stream: 'async',
      operation: 'create',
      record: document,
      settle: async (correlationId) => {
        system.pending.get(correlationId)!.outcome = 'done'
      },
    },
    forgedWebhook: () => ({
      method: 'POST',
      url: '/hooks/t/memory',
      headers: { 'x-memory-signature': '00'.repeat(32) },
      body: new TextEncoder().encode(JSON.stringify({ stream: 'invoices', ids: ['INV-1'] })),
    }),
  }
})
