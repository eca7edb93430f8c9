import { describe, expect, it } from 'vitest'
import type { Connector, ConnectorContext } from '../../core/connector/connector.ts'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { compileMapping } from '../../core/mapping/compile-mapping.ts'
import type { ConnectionContexts } from './connection-contexts.ts'
import type { FlowProgram } from './flow-program.ts'
import { createLookupTables } from './lookup-tables.ts'

function fixture(refresh: string) {
  const vendors = [{ id: 'v1', code: 'V0010' }]
  let reads = 0
  let clock = 0
  const connector = {
    streams: {
      vendors: {
        async *read() {
          reads++
          yield { records: vendors.map((v) => ({ ...v })), cursor: null }
        },
      },
    },
  } as unknown as Connector
  const contexts: ConnectionContexts = {
    get: async (connectionId) => ({
      connectionId,
      tenantId: 't',
      connector,
      ctx: {} as ConnectorContext,
      secrets: [],
    }),
    invalidate: () => undefined,
    probe: () => {
      throw new Error('these lookups never check an unsaved connection')
    },
  }
  const manifest = {
    lookups: { vendor: { connection: 'src', stream: 'vendors', key: 'code', value: 'id', refresh } },
  } as unknown as FlowManifest
  const program = { tenantId: 't', bindings: { src: 'c1' }, manifest } as unknown as FlowProgram
  const tables = createLookupTables({ contexts, now: () => clock })
  return {
    lookup: (key: string) => tables.resolver(program)('vendor', key),
    vendors,
    reads: () => reads,
    advance: (ms: number) => {
      clock += ms
    },
  }
}

describe('stream lookup tables', () => {
  it('serve from the cache until the refresh interval', async () => {
    const f = fixture('1h')
    expect(await f.lookup('V0010')).toBe('v1')
    f.advance(10 * 60_000)
    expect(await f.lookup('V0010')).toBe('v1')
    expect(f.reads()).toBe(1)
    f.advance(60 * 60_000)
    await f.lookup('V0010')
    expect(f.reads()).toBe(2)
  })

  it('re-read a stale table once when a key is missing, so a counterpart created since is found', async () => {
    const f = fixture('1h')
    await f.lookup('V0010')
    f.vendors.push({ id: 'v2', code: 'V0020' })
    // Within 30 s of the last read a miss is answered from the cache: no read storm on unknown keys.
    f.advance(5_000)
    expect(await f.lookup('V0020')).toBeUndefined()
    expect(f.reads()).toBe(1)
    f.advance(30_000)
    expect(await f.lookup('V0020')).toBe('v2')
    expect(f.reads()).toBe(2)
    // Still missing after the re-read: answered missing without another read.
    expect(await f.lookup('V9999')).toBeUndefined()
    expect(f.reads()).toBe(2)
  })
})

describe('recipe mapping tables', () => {
  it('a missing key names the mapping table to fix, not only the flow’s alias', async () => {
    const manifest = { lookups: { vasAccount: { table: 'bc-account-to-vas' } } } as unknown as FlowManifest
    const program = { tenantId: 't', bindings: {}, manifest } as unknown as FlowProgram
    const tables = createLookupTables({
      contexts: {} as ConnectionContexts,
      mappingTables: async () => new Map([['6271', '627']]),
    })
    const lookup = tables.resolver(program)
    const mapping = compileMapping(`$lookupTable('vasAccount', account)`)
    expect(await mapping.evaluate({ account: '6271' }, { lookup })).toBe('627')
    await expect(mapping.evaluate({ account: '2421' }, { lookup })).rejects.toMatchObject({
      code: 'lookup_missing',
      message: expect.stringContaining(
        'key "2421" is not in lookup table "vasAccount" (recipe mapping table "bc-account-to-vas"',
      ),
    })
  })
})
