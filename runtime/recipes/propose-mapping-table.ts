import type { MappingTable } from '../../core/manifest/recipe-schema.ts'
import { normalizeMst } from '../../core/vietnam/mst.ts'
import type { ConnectionContexts } from '../engine/connection-contexts.ts'
import type { MappingRow } from '../store/mapping-rows-store.ts'

interface Entry {
  key: string
  label: string
}

async function readSide(
  contexts: ConnectionContexts,
  connectionId: string,
  side: MappingTable['from'],
  limit = 20_000,
): Promise<Entry[]> {
  const live = await contexts.get(connectionId)
  const stream = live.connector.streams[side.stream]
  if (!stream?.read)
    throw new Error(`${live.connector.id}/${side.stream} cannot be read to propose a mapping table`)
  const entries: Entry[] = []
  for await (const page of stream.read(live.ctx, { cursor: null, query: {} })) {
    for (const r of page.records) {
      const key = r[side.key]
      if (key === undefined || key === null || key === '') continue
      entries.push({ key: String(key), label: String(r[side.label ?? side.key] ?? '') })
    }
    if (entries.length >= limit) break
  }
  return entries
}

const fold = (s: string) => s.normalize('NFC').trim().toLocaleLowerCase('vi')

function matcher(
  strategy: MappingTable['match'],
): (from: Entry, to: Entry[]) => { to: Entry; reason: string } | undefined {
  switch (strategy) {
    case 'mst': {
      const norm = (s: string) => {
        try {
          return normalizeMst(s)
        } catch {
          return s.replace(/\D/g, '')
        }
      }
      return (from, to) => {
        const hit = to.find((t) => norm(t.key) === norm(from.key) || norm(t.label) === norm(from.key))
        return hit && { to: hit, reason: 'same MST' }
      }
    }
    case 'number-and-name':
      return (from, to) => {
        const byNumber = to.find((t) => t.key === from.key)
        if (byNumber) return { to: byNumber, reason: 'same account number' }
        const byName = to.find((t) => fold(t.label) === fold(from.label) && from.label !== '')
        return byName && { to: byName, reason: 'same name' }
      }
    default:
      return (from, to) => {
        const hit = to.find((t) => fold(t.key) === fold(from.key))
        return hit && { to: hit, reason: 'same code' }
      }
  }
}

/**
 * Proposes a mapping table from both systems' master data: every `from` key gets the `to` key that
 * matches by the table's strategy (MST, number then name, or code), or no row when nothing matches —
 * the tenant adds those, and a record needing one fails naming the key until then.
 */
export async function proposeMappingTable(
  contexts: ConnectionContexts,
  table: MappingTable,
  bindings: Record<string, string>,
): Promise<{ rows: MappingRow[]; unmatched: string[] }> {
  const from = await readSide(contexts, bindings[table.from.role]!, table.from)
  const to = await readSide(contexts, bindings[table.to.role]!, table.to)
  const match = matcher(table.match)
  const rows: MappingRow[] = []
  const unmatched: string[] = []
  for (const entry of from) {
    const hit = match(entry, to)
    if (hit)
      rows.push({
        key: entry.key,
        value: hit.to.key,
        status: 'proposed',
        reason: `${hit.reason}: ${entry.label} → ${hit.to.label}`,
      })
    else unmatched.push(entry.key)
  }
  return { rows, unmatched }
}
