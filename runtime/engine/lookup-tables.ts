import type { LookupSpec } from '../../core/manifest/flow-schema.ts'
import { durationMs } from '../../core/manifest/manifest-patterns.ts'
import type { LookupResolver } from '../../core/mapping/mapping-context.ts'
import type { MappingTableSource } from '../store/mapping-rows-store.ts'
import type { ConnectionContexts } from './connection-contexts.ts'
import type { FlowProgram } from './flow-program.ts'
import { fieldReader, readMany } from './flow-program.ts'

/** Serves `$lookupTable(table, key)` for a flow. */
export interface LookupTables {
  resolver(program: FlowProgram): LookupResolver
}

const staticTables = new WeakMap<object, Map<string, unknown>>()

/** A manifest's static table as rows: one Map per table, so a mapping child that has it is not sent it again. */
function staticRows(values: Record<string, unknown>): Map<string, unknown> {
  let rows = staticTables.get(values)
  if (!rows) {
    rows = new Map(Object.entries(values))
    staticTables.set(values, rows)
  }
  return rows
}

/** How stale a stream table may be when a key is missing from it before it is re-read. */
const MISS_REFRESH_MS = 30_000

interface CachedTable {
  loadedAt: number
  values: Promise<Map<string, unknown>>
}

/**
 * Lookup tables for this process: static tables from the manifest, stream tables read in full from
 * their source stream and refreshed on their cadence (single-flight per table), and recipe mapping tables.
 */
export function createLookupTables(options: {
  contexts: ConnectionContexts
  mappingTables?: MappingTableSource
  now?: () => number
}): LookupTables {
  const now = options.now ?? Date.now
  const streamTables = new Map<string, CachedTable>()

  async function readStreamTable(program: FlowProgram, spec: Extract<LookupSpec, { stream: string }>) {
    const live = await options.contexts.get(program.bindings[spec.connection]!)
    const stream = live.connector.streams[spec.stream]
    if (!stream?.read) throw new Error(`lookup stream ${spec.stream} is not readable`)
    const key = fieldReader(spec.key, `lookup key ${spec.key}`)
    const value = fieldReader(spec.value, `lookup value ${spec.value}`)
    const table = new Map<string, unknown>()
    for await (const page of stream.read(live.ctx, { cursor: null, query: spec.query ?? {} })) {
      const [keys, values] = await Promise.all([readMany(key, page.records), readMany(value, page.records)])
      for (const [i, k] of keys.entries()) if (k !== undefined && k !== null) table.set(String(k), values[i])
    }
    return table
  }

  function streamTable(
    program: FlowProgram,
    spec: Extract<LookupSpec, { stream: string }>,
    maxAgeMs = durationMs(spec.refresh ?? '1h'),
  ) {
    const cacheKey = `${program.bindings[spec.connection]}|${spec.stream}|${spec.key}|${spec.value}|${JSON.stringify(spec.query ?? {})}`
    const cached = streamTables.get(cacheKey)
    if (cached && now() - cached.loadedAt < maxAgeMs) return cached.values
    const values = readStreamTable(program, spec)
    values.catch(() => streamTables.delete(cacheKey))
    streamTables.set(cacheKey, { loadedAt: now(), values })
    return values
  }

  return {
    resolver(program) {
      const specs = program.manifest.lookups ?? {}
      const resolve: LookupResolver = async (table, key) => {
        const spec = specs[table]
        if (!spec)
          throw new Error(
            `unknown lookup table "${table}"; the manifest declares: ${Object.keys(specs).join(', ') || 'none'}`,
          )
        const k = String(key)
        if ('values' in spec) return (spec.values as Record<string, unknown>)[k]
        if ('table' in spec) {
          if (!options.mappingTables)
            throw new Error(
              `mapping table "${spec.table}" needs a recipe; this flow was not enabled from one`,
            )
          return (await options.mappingTables(program.tenantId, spec.table)).get(k)
        }
        const loaded = await streamTable(program, spec)
        if (loaded.has(k)) return loaded.get(k)
        // A key created since the last refresh (a new vendor, an invoice just transferred) should not
        // fail a record: a miss re-reads a table older than MISS_REFRESH_MS once, then answers.
        return (
          await streamTable(program, spec, Math.min(MISS_REFRESH_MS, durationMs(spec.refresh ?? '1h')))
        ).get(k)
      }
      resolve.rows = async (table) => {
        const spec = specs[table]
        if (!spec) return undefined
        if ('values' in spec) return staticRows(spec.values as Record<string, unknown>)
        if ('table' in spec) return options.mappingTables?.(program.tenantId, spec.table)
        return streamTable(program, spec)
      }
      resolve.complete = (table) => {
        const spec = specs[table]
        // A stream table re-reads its source on a miss (see above): only the other kinds are whole.
        return spec !== undefined && ('values' in spec || 'table' in spec)
      }
      resolve.describe = (table) => {
        const spec = specs[table]
        return spec && 'table' in spec
          ? `recipe mapping table "${spec.table}": add or confirm the row with PUT /v1/mapping-tables/${spec.table}/rows/{key}, then replay`
          : undefined
      }
      return resolve
    },
  }
}
