import type { MappingTable } from '../../core/manifest/recipe-schema.ts'
import type { ConnectionContexts } from '../engine/connection-contexts.ts'
import { fieldReader } from '../engine/flow-program.ts'
import { type MappingEntry, type MatchedRow, matchMappingRows } from './match-mapping-rows.ts'

const text = (value: unknown) => (value === undefined || value === null ? '' : String(value))

/**
 * The records of one side of a mapping table (those its `when` holds for): key, label and what
 * matching compares. The picker offers the same, so a value the target refuses is never offered.
 */
export async function readMappingSide(
  contexts: ConnectionContexts,
  connectionId: string,
  side: MappingTable['from'],
  limit = 20_000,
): Promise<MappingEntry[]> {
  const live = await contexts.get(connectionId)
  const stream = live.connector.streams[side.stream]
  if (!stream?.read)
    throw new Error(`${live.connector.id}/${side.stream} cannot be read to propose a mapping table`)
  const key = fieldReader(side.key, `mapping table key ${side.key}`)
  const label = fieldReader(side.label ?? side.key, `mapping table label ${side.label}`)
  const matchOn = fieldReader(side.matchOn ?? side.key, `mapping table matchOn ${side.matchOn}`)
  const when = side.when ? fieldReader(side.when, `mapping table when ${side.when}`) : undefined
  const entries = new Map<string, MappingEntry>()
  for await (const page of stream.read(live.ctx, { cursor: null, query: {} })) {
    for (const record of page.records) {
      if (when && (await when(record)) !== true) continue
      const k = text(await key(record))
      if (k === '') continue
      entries.set(k, { key: k, label: text(await label(record)), matchOn: text(await matchOn(record)) })
    }
    if (entries.size >= limit) break
  }
  return [...entries.values()]
}

/**
 * Proposes a mapping table from both systems' master data: one row per `from` key, with the `to` key
 * the table's strategy matched (MST, number then name, or code), or no value when nothing or more
 * than one record matched — those the tenant sets through the API before records can use them.
 */
export async function proposeMappingTable(
  contexts: ConnectionContexts,
  table: MappingTable,
  bindings: Record<string, string>,
): Promise<MatchedRow[]> {
  const from = await readMappingSide(contexts, bindings[table.from.role]!, table.from)
  const to = await readMappingSide(contexts, bindings[table.to.role]!, table.to)
  return matchMappingRows(table.match, from, to)
}
