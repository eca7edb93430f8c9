/**
 * What a connector manifest offers to flows, read straight from the declaration — the same entry
 * catalogFromConnectors builds from the running connector, so a flow can be checked against a
 * connector manifest that is not loaded yet (validated together with it).
 */
import type { WriteOperation } from '../connector/connector.ts'
import type { CatalogConnector, CatalogStream } from './catalog.ts'
import type { ConnectorManifest } from './connector-schema.ts'

/** The catalog entry of a checked connector manifest. */
export function catalogFromConnectorManifest(manifest: ConnectorManifest): CatalogConnector {
  const events = manifest.webhooks?.events ?? []
  const streams: Record<string, CatalogStream> = {}
  for (const [name, spec] of Object.entries(manifest.streams)) {
    streams[name] = {
      readable: spec.read !== undefined,
      operations: Object.keys(spec.write ?? {}) as WriteOperation[],
      find: spec.find !== undefined,
      claim: false,
      actions: Object.keys(spec.actions ?? {}),
      webhook: events.some((e) => e.stream === name),
      pushed: events.some((e) => e.stream === name && 'records' in e),
      ...(spec.identity ? { identity: { ...spec.identity } } : {}),
    }
  }
  return { id: manifest.id, title: manifest.title, streams, acknowledge: [] }
}
