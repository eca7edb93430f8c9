/**
 * A connector registry with the real connector ids and plausible streams, for checking manifests'
 * stream/operation references while the real connectors are still being written. Members only need
 * to exist: the catalog reads capabilities, it never calls them.
 */
import { type Connector, defineConnector, type Stream } from '../../core/connector/connector.ts'

const record = { type: 'object' }

async function* noPages() {}

function stream(parts: Partial<Stream>): Stream {
  return { description: 'fixture stream', schema: record, ...parts }
}

const readable = { read: noPages }
const writable = (operations: Stream['operations']) => ({
  operations,
  write: async () => ({ status: 'done' as const, id: '1' }),
})
const findable = { find: async () => null }
const base = {
  configSchema: { type: 'object', properties: { secret: { type: 'string', writeOnly: true } } },
  check: async () => ({}),
}

export const fixtureRegistry: Record<string, Connector> = {
  basware: defineConnector({
    ...base,
    id: 'basware',
    title: 'Basware P2P (fixture)',
    streams: {
      accountingDocuments: stream({
        ...readable,
        claim: async () => 'claimed',
        identity: { key: 'bumId', version: 'lastUpdated' },
      }),
      vendors: stream({ ...writable(['upsert']) }),
      exportedInvoices: stream({ ...readable }),
    },
    acknowledge: { transferResponse: { description: 'fixture', send: async () => ({}) } },
    webhooks: { verify: async () => ({}), parse: async () => [], streams: ['accountingDocuments'] },
  }),
  'business-central': defineConnector({
    ...base,
    id: 'business-central',
    title: 'Business Central (fixture)',
    streams: {
      vendors: stream({
        ...readable,
        ...findable,
        ...writable(['create', 'update']),
        identity: { key: 'id', version: 'lastModifiedDateTime' },
      }),
      purchaseInvoices: stream({
        ...findable,
        ...writable(['create']),
        actions: { post: { description: 'post', run: async () => ({ id: '1' }) } },
      }),
      journalLines: stream({ ...writable(['create']) }),
      accounts: stream({ ...readable, identity: { key: 'number' } }),
    },
    webhooks: { verify: async () => ({}), parse: async () => [], streams: ['vendors'] },
  }),
  misa: defineConnector({
    ...base,
    id: 'misa',
    title: 'MISA AMIS (fixture)',
    streams: {
      vendors: stream({ ...writable(['upsert']) }),
      accounts: stream({ ...readable, identity: { key: 'account_number' } }),
    },
  }),
}
