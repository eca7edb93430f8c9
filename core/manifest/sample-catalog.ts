/** A small hand-made catalog for core/manifest's unit tests (core tests may not import connectors/). */
import type { CatalogStream, ConnectorCatalog } from './catalog.ts'

const stream = (parts: Partial<CatalogStream>): CatalogStream => ({
  readable: false,
  operations: [],
  find: false,
  claim: false,
  actions: [],
  webhook: false,
  pushed: false,
  ...parts,
})

/** Two connectors: `src` (a readable `orders` stream, one acknowledge op) and `dst` (`invoices`, writable). */
export const sampleCatalog: ConnectorCatalog = {
  src: {
    id: 'src',
    title: 'Source',
    acknowledge: ['confirm'],
    streams: { orders: stream({ readable: true, webhook: true, identity: { key: 'id' } }) },
  },
  dst: {
    id: 'dst',
    title: 'Destination',
    acknowledge: [],
    streams: { invoices: stream({ operations: ['create', 'update'], find: true, actions: ['post'] }) },
  },
}
