import type { AcknowledgeOperation, Connector, Stream, StreamAction } from '../../core/connector/connector.ts'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import { type CompiledMapping, compileMapping } from '../../core/mapping/compile-mapping.ts'
import { getFlowVersion } from '../store/flows-store.ts'
import type { DeliveryDeps } from './engine-deps.ts'
import { type RetryPolicy, retryPolicy } from './retry-delay.ts'

/** A field reader: a compiled expression, or a direct property read when the expression is a plain name. */
export type FieldReader = (record: Record<string, unknown>) => Promise<unknown> | unknown

/** A flow version compiled for execution: expressions compiled once, connectors resolved. */
export interface FlowProgram {
  flowId: string
  tenantId: string
  version: number
  name: string
  manifest: FlowManifest
  /** Alias → connection id. */
  bindings: Record<string, string>
  identityKey: FieldReader
  identityVersion?: FieldReader
  orderKey?: FieldReader
  when?: CompiledMapping
  map: CompiledMapping
  match?: [field: string, read: FieldReader][]
  acknowledgeMap?: CompiledMapping
  source: { connectionId: string; connector: Connector; streamName: string; stream: Stream }
  target: {
    connectionId: string
    connector: Connector
    streamName: string
    stream: Stream
    actions: [string, StreamAction][]
  }
  acknowledge?: { operation: AcknowledgeOperation; on: ('success' | 'failure')[] }
  retry: RetryPolicy
}

const PLAIN_FIELD = /^[A-Za-z_][A-Za-z0-9_]*$/

/** Compiles a key-like expression; a bare field name skips JSONata entirely (it runs per record per page). */
export function fieldReader(expression: string, name: string): FieldReader {
  if (PLAIN_FIELD.test(expression)) return (record) => record[expression]
  const compiled = compileMapping(expression, { name })
  return (record) => compiled.evaluate(record)
}

function resolveConnection(
  deps: DeliveryDeps,
  manifest: FlowManifest,
  bindings: Record<string, string>,
  alias: string,
) {
  const connectorId = manifest.connections[alias]
  const connectionId = bindings[alias]
  if (!connectorId || !connectionId)
    throw new Error(`flow ${manifest.name}: connection alias "${alias}" is not bound to a connection`)
  const connector = deps.registry[connectorId]
  if (!connector) throw new Error(`flow ${manifest.name}: connector "${connectorId}" is not in this build`)
  return { connectionId, connector }
}

/** Builds the program of a stored flow version (validated when it was stored). */
export function buildFlowProgram(
  deps: DeliveryDeps,
  row: {
    flowId: string
    tenantId: string
    version: number
    manifest: FlowManifest
    bindings: Record<string, string>
  },
): FlowProgram {
  const m = row.manifest
  const src = resolveConnection(deps, m, row.bindings, m.source.connection)
  const tgt = resolveConnection(deps, m, row.bindings, m.target.connection)
  const sourceStream = src.connector.streams[m.source.stream]
  const targetStream = tgt.connector.streams[m.target.stream]
  if (!sourceStream || !targetStream) throw new Error(`flow ${m.name}: a stream it names no longer exists`)
  const identity = m.identity ?? sourceStream.identity
  if (!identity)
    throw new Error(`flow ${m.name}: the source stream has no default identity; set identity.key`)
  const ack = m.acknowledge
  const ackOperation = ack ? src.connector.acknowledge?.[ack.operation] : undefined
  return {
    flowId: row.flowId,
    tenantId: row.tenantId,
    version: row.version,
    name: m.name,
    manifest: m,
    bindings: row.bindings,
    identityKey: fieldReader(identity.key, `${m.name} identity.key`),
    identityVersion: identity.version
      ? fieldReader(identity.version, `${m.name} identity.version`)
      : undefined,
    orderKey: m.order ? fieldReader(m.order, `${m.name} order`) : undefined,
    when: m.when ? compileMapping(m.when, { name: `${m.name} when` }) : undefined,
    map: compileMapping(m.map, { name: `${m.name} map` }),
    match: m.target.match
      ? Object.entries(m.target.match).map(([field, expr]) => [
          field,
          fieldReader(expr, `${m.name} match.${field}`),
        ])
      : undefined,
    acknowledgeMap: ack ? compileMapping(ack.map, { name: `${m.name} acknowledge.map` }) : undefined,
    source: { ...src, streamName: m.source.stream, stream: sourceStream },
    target: {
      ...tgt,
      streamName: m.target.stream,
      stream: targetStream,
      actions: (m.target.then ?? []).map((name) => {
        const action = targetStream.actions?.[name]
        if (!action)
          throw new Error(`flow ${m.name}: action "${name}" is not an action of ${m.target.stream}`)
        return [name, action] as [string, StreamAction]
      }),
    },
    acknowledge:
      ack && ackOperation
        ? { operation: ackOperation, on: (ack.on ?? ['success', 'failure']) as ('success' | 'failure')[] }
        : undefined,
    retry: retryPolicy(m.retry),
  }
}

/** Loads (and caches per process) the program of one flow version. Versions are immutable. */
export function flowPrograms(deps: DeliveryDeps) {
  const cache = new Map<string, Promise<FlowProgram>>()
  return (tenantId: string, flowId: string, version: number): Promise<FlowProgram> => {
    const key = `${flowId}@${version}`
    let program = cache.get(key)
    if (!program) {
      program = getFlowVersion(deps.db, flowId, version).then((row) => {
        if (!row) throw new Error(`flow ${flowId} has no version ${version}`)
        return buildFlowProgram(deps, {
          flowId,
          tenantId,
          version,
          manifest: row.manifest as unknown as FlowManifest,
          bindings: row.bindings,
        })
      })
      program.catch(() => cache.delete(key))
      cache.set(key, program)
    }
    return program
  }
}
