import type { AcknowledgeOperation, Connector, Stream, StreamAction } from '../../core/connector/connector.ts'
import type { FlowManifest } from '../../core/manifest/flow-schema.ts'
import type { CompiledMapping } from '../../core/mapping/compile-mapping.ts'
import type { LookupResolver } from '../../core/mapping/mapping-context.ts'
import type { MappingError } from '../../core/mapping/mapping-error.ts'
import type { MappingPool } from '../mapping-pool/mapping-pool.ts'
import { type PooledMapping, pooledMapping } from '../mapping-pool/pooled-mapping.ts'
import { processMappingPool } from '../mapping-pool/process-mapping-pool.ts'
import { getFlowVersion } from '../store/flows-store.ts'
import type { DeliveryDeps } from './engine-deps.ts'
import { type RetryPolicy, retryPolicy } from './retry-delay.ts'

/**
 * A field reader: an expression evaluated in the mapping pool (`expression` set), or a direct property
 * read when the expression is a plain name.
 */
export type FieldReader = ((record: Record<string, unknown>) => Promise<unknown> | unknown) & {
  expression?: PooledMapping
}

/** What filtering and mapping one record came to (see FlowProgram.mapMany). */
export type MapOutcome =
  | { skipped: true }
  | { skipped?: false; ok: true; value: unknown }
  | { skipped?: false; ok: false; error: MappingError }

/** A record to map: its source and key. */
export interface MapInput {
  source: unknown
  recordKey?: string
}

/** The identity and order fields of one source record (see FlowProgram.readFields). */
export interface RecordFields {
  key: unknown
  version?: unknown
  order?: unknown
}

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
  /**
   * Filters (`when`) and maps many records in the mapping pool, in one hop rather than one for each
   * record: one outcome per record, in order — skipped, mapped, or the record's MappingError.
   */
  mapMany(records: readonly MapInput[], lookup?: LookupResolver): Promise<MapOutcome[]>
  /** Reads identity key, version and order of many records, the expressions among them in one hop. */
  readFields(records: readonly Record<string, unknown>[]): Promise<RecordFields[]>
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

/** The pool a program's expressions run in: the deps' own, else this process's. */
function poolOf(deps: { mappingPool?: MappingPool }): () => MappingPool {
  return () => deps.mappingPool ?? processMappingPool()
}

/**
 * A key-like expression, evaluated in the mapping pool; a bare field name skips JSONata entirely (it
 * runs per record per page).
 */
export function fieldReader(
  expression: string,
  name: string,
  deps: { mappingPool?: MappingPool } = {},
): FieldReader {
  if (PLAIN_FIELD.test(expression)) return (record) => record[expression]
  const compiled = pooledMapping(poolOf(deps), expression, { name })
  return Object.assign((record: Record<string, unknown>) => compiled.evaluate(record), {
    expression: compiled,
  })
}

/** Reads one field of many records: a property read, or one hop to the pool; the first error is thrown. */
export async function readMany(
  reader: FieldReader,
  records: readonly Record<string, unknown>[],
): Promise<unknown[]> {
  if (!reader.expression) return records.map((r) => reader(r))
  const outcomes = await reader.expression.evaluateMany(records.map((input) => ({ input })))
  return outcomes.map((o) => {
    if (!o.ok) throw o.error
    return o.value
  })
}

/** The `when` and `map` steps of mapMany, together in one hop for all the records. */
async function filterAndMap(
  when: PooledMapping | undefined,
  map: PooledMapping,
  records: readonly MapInput[],
  lookup: LookupResolver | undefined,
): Promise<MapOutcome[]> {
  const outcomes = await map.evaluateMany(
    records.map((r) => ({ input: r.source, recordKey: r.recordKey })),
    lookup,
    when,
  )
  return outcomes.map((o) => (o.ok && o.skipped ? { skipped: true } : o) as MapOutcome)
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
  const pool = poolOf(deps)
  const when = m.when ? pooledMapping(pool, m.when, { name: `${m.name} when` }) : undefined
  const map = pooledMapping(pool, m.map, { name: `${m.name} map` })
  const identityKey = fieldReader(identity.key, `${m.name} identity.key`, deps)
  const identityVersion = identity.version
    ? fieldReader(identity.version, `${m.name} identity.version`, deps)
    : undefined
  const orderKey = m.order ? fieldReader(m.order, `${m.name} order`, deps) : undefined
  return {
    flowId: row.flowId,
    tenantId: row.tenantId,
    version: row.version,
    name: m.name,
    manifest: m,
    bindings: row.bindings,
    identityKey,
    identityVersion,
    orderKey,
    when,
    map,
    match: m.target.match
      ? Object.entries(m.target.match).map(([field, expr]) => [
          field,
          fieldReader(expr, `${m.name} match.${field}`, deps),
        ])
      : undefined,
    acknowledgeMap: ack ? pooledMapping(pool, ack.map, { name: `${m.name} acknowledge.map` }) : undefined,
    mapMany: (records, lookup) => filterAndMap(when, map, records, lookup),
    async readFields(records) {
      const [keys, versions, orders] = await Promise.all([
        readMany(identityKey, records),
        identityVersion ? readMany(identityVersion, records) : undefined,
        orderKey ? readMany(orderKey, records) : undefined,
      ])
      return keys.map((key, i) => ({ key, version: versions?.[i], order: orders?.[i] }))
    },
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
