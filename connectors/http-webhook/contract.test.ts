import { describeConnectorContract } from '../../test/contract/connector-contract.ts'
import { memoryConnectionState } from '../../test/support/memory-connection-state.ts'
import { memoryLogger } from '../../test/support/sandbox-context.ts'
import { loadConnectorRegistry } from '../index.ts'

describeConnectorContract('http-webhook (declared)', async () => {
  const connector = loadConnectorRegistry().registry['http-webhook']!
  const log = memoryLogger()
  const ctx = {
    connectionId: 'test-http-webhook',
    config: { secret: 'hook-contract-secret' },
    fetch: (() => Promise.reject(new Error('http-webhook makes no calls'))) as typeof fetch,
    state: memoryConnectionState(),
    memo: new Map(),
    log,
    now: () => new Date(),
  }
  const skip = 'http-webhook only receives: its records arrive by POST, and it calls nothing'
  return {
    connector,
    ctx,
    badSecretCtx: { ...ctx, config: { secret: 'another-secret' } },
    secrets: ['hook-contract-secret'],
    logLines: log.lines,
    forgedWebhook: () => ({
      method: 'POST',
      url: '/hooks/t/c',
      headers: { 'content-type': 'application/json', 'x-ferry-signature': `sha256=${'0'.repeat(64)}` },
      body: new TextEncoder().encode('{"orderId":"X"}'),
    }),
    skip: {
      'bad-secret': `${skip}; a wrong secret shows when the caller's signatures do not match`,
      'read-pages': skip,
      'read-resume': skip,
      'write-find': skip,
      acknowledge: skip,
      'is-done': skip,
      'write-many-partial': skip,
      'outcome-poll': skip,
    },
  }
})
