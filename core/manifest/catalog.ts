/**
 * What the manifest checks need to know about the connectors of this build: their ids, streams and
 * what each stream can do. Built from the registry, so a manifest is checked against real capabilities.
 */
import type { Connector, WriteOperation } from '../connector/connector.ts'

/** What one stream of a connector supports. */
export interface CatalogStream {
  readable: boolean
  /** Write operations (empty when the stream cannot be written). */
  operations: readonly WriteOperation[]
  find: boolean
  claim: boolean
  actions: readonly string[]
  /** A webhook can report changes of this stream. */
  webhook: boolean
  /** Webhook deliveries carry records of this stream (a flow can take them without a read). */
  pushed: boolean
  /** The stream's default identity, when it declares one. */
  identity?: { key: string; version?: string }
}

/** What one connector offers to manifests. */
export interface CatalogConnector {
  id: string
  title: string
  streams: Record<string, CatalogStream>
  /** Names of its acknowledge operations. */
  acknowledge: readonly string[]
}

/** Connector id → what it offers. */
export type ConnectorCatalog = Record<string, CatalogConnector>

/** The catalog of a connector registry (the object exported by connectors/index.ts). */
export function catalogFromConnectors(registry: Record<string, Connector>): ConnectorCatalog {
  const catalog: ConnectorCatalog = {}
  for (const [id, connector] of Object.entries(registry)) {
    const webhooks = connector.webhooks
    const streams: Record<string, CatalogStream> = {}
    for (const [name, stream] of Object.entries(connector.streams)) {
      const writable = stream.write !== undefined || stream.writeMany !== undefined
      streams[name] = {
        readable: stream.read !== undefined,
        operations: writable ? [...(stream.operations ?? [])] : [],
        find: stream.find !== undefined,
        claim: stream.claim !== undefined,
        actions: Object.keys(stream.actions ?? {}),
        // A connector whose webhooks list no streams can report changes of any of them.
        webhook:
          webhooks !== undefined && (webhooks.streams === undefined || webhooks.streams.includes(name)),
        pushed: webhooks?.pushes?.includes(name) ?? false,
        ...(stream.identity ? { identity: { ...stream.identity } } : {}),
      }
    }
    catalog[id] = {
      id,
      title: connector.title,
      streams,
      acknowledge: Object.keys(connector.acknowledge ?? {}),
    }
  }
  return catalog
}
