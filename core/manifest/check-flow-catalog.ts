/**
 * Checks a flow manifest against the connector catalog: connector ids, connection aliases, streams
 * and what they support (read, write operations, find, claim, actions, acknowledge, webhooks).
 * Runs on whatever parts of the manifest are well-formed, so it reports alongside schema errors.
 */
import type { CatalogConnector, CatalogStream, ConnectorCatalog } from './catalog.ts'
import type { Diagnostic } from './diagnostic.ts'
import { expectedOneOf } from './did-you-mean.ts'
import { entriesAt, objectOf, stringAt } from './manifest-data.ts'
import { diagnosticAt, escapePointer, type ManifestSource } from './manifest-source.ts'

/** A resolved reference from a manifest section to a connector stream. */
interface StreamRef {
  alias: string
  connector: CatalogConnector
  name: string
  stream: CatalogStream
}

/** Diagnostics for every catalog reference in the flow; `data` may be partly invalid. */
export function checkFlowCatalog(
  source: ManifestSource,
  data: unknown,
  catalog: ConnectorCatalog,
): Diagnostic[] {
  const out: Diagnostic[] = []
  const error = (pointer: string, at: 'key' | 'value', code: string, message: string, place?: string) =>
    out.push(diagnosticAt(source, pointer, at, { code, message }, place))
  const ids = Object.keys(catalog)
  const aliases = new Map<string, CatalogConnector | undefined>()
  for (const [alias, id] of entriesAt(data, 'connections')) {
    if (typeof id !== 'string') continue
    aliases.set(alias, catalog[id])
    if (!catalog[id]) {
      error(
        `/connections/${escapePointer(alias)}`,
        'value',
        'unknown-connector',
        `unknown connector "${id}" for connection "${alias}"${expectedOneOf(id, ids)}`,
      )
    }
  }

  /** Resolves `section.connection` + `section.stream`, reporting what does not exist. */
  const streamOf = (pointer: string, section: unknown): StreamRef | undefined => {
    const alias = stringAt(section, 'connection')
    if (alias === undefined) return undefined
    if (!aliases.has(alias)) {
      const declared = [...aliases.keys()]
      error(
        `${pointer}/connection`,
        'value',
        'unknown-connection',
        `${label(pointer)}.connection "${alias}" is not declared in connections${expectedOneOf(alias, declared)}`,
      )
      return undefined
    }
    const connector = aliases.get(alias)
    const name = stringAt(section, 'stream')
    if (connector === undefined || name === undefined) return undefined
    const stream = connector.streams[name]
    if (!stream) {
      error(
        `${pointer}/stream`,
        'value',
        'unknown-stream',
        `unknown stream "${name}" for ${connector.id}${expectedOneOf(name, Object.keys(connector.streams))}`,
      )
      return undefined
    }
    return { alias, connector, name, stream }
  }
  const readableOrReport = (pointer: string, ref: StreamRef | undefined) => {
    if (ref && !ref.stream.readable) {
      const readable = Object.keys(ref.connector.streams).filter((s) => ref.connector.streams[s]!.readable)
      error(
        `${pointer}/stream`,
        'value',
        'not-readable',
        `${ref.connector.id}/${ref.name} cannot be read${expectedOneOf(ref.name, readable, 'readable streams:')}`,
      )
      return undefined
    }
    return ref
  }

  const sourceSection = objectOf(data)?.source
  const sourceStream = streamOf('/source', sourceSection)
  // A pushed stream (webhook deliveries carry its records) is a source without being readable.
  const sourceRef = sourceStream?.stream.pushed ? sourceStream : readableOrReport('/source', sourceStream)
  if (sourceRef) checkSource(sourceRef, data, error)

  const targetSection = objectOf(data)?.target
  const targetRef = streamOf('/target', targetSection)
  if (targetRef) checkTarget(targetRef, targetSection, error)

  for (const [name, lookup] of entriesAt(data, 'lookups')) {
    if (objectOf(lookup)?.values === undefined && objectOf(lookup)?.table === undefined) {
      readableOrReport(`/lookups/${escapePointer(name)}`, streamOf(`/lookups/${escapePointer(name)}`, lookup))
    }
  }

  const acknowledge = stringAt(objectOf(data)?.acknowledge, 'operation')
  if (acknowledge !== undefined && sourceRef && !sourceRef.connector.acknowledge.includes(acknowledge)) {
    error(
      '/acknowledge/operation',
      'value',
      'unknown-acknowledge',
      `unknown acknowledge operation "${acknowledge}" for ${sourceRef.connector.id}${expectedOneOf(acknowledge, sourceRef.connector.acknowledge)}`,
    )
  }

  const used = new Set([stringAt(sourceSection, 'connection'), stringAt(targetSection, 'connection')])
  for (const [, lookup] of entriesAt(data, 'lookups')) used.add(stringAt(lookup, 'connection'))
  // Only when source and target are well-formed is an unreferenced connection really unused.
  const complete = objectOf(sourceSection) !== undefined && objectOf(targetSection) !== undefined
  for (const alias of complete ? aliases.keys() : []) {
    if (!used.has(alias)) {
      out.push(
        diagnosticAt(source, `/connections/${escapePointer(alias)}`, 'key', {
          code: 'unused-connection',
          severity: 'warning',
          message: `connection "${alias}" is declared but no source, target or lookup uses it`,
        }),
      )
    }
  }
  return out
}

type Report = (pointer: string, at: 'key' | 'value', code: string, message: string, place?: string) => void

function checkSource(ref: StreamRef, data: unknown, error: Report): void {
  const root = objectOf(data)!
  const where = `${ref.connector.id}/${ref.name}`
  if (objectOf(root.source)?.claim === true && !ref.stream.claim) {
    error(
      '/source/claim',
      'value',
      'unsupported-claim',
      `source.claim is true but ${where} cannot claim records`,
    )
  }
  if (root.identity === undefined && !ref.stream.identity) {
    error(
      '/identity',
      'value',
      'missing-identity',
      `${where} declares no default identity; set identity.key (JSONata over the source record)`,
      '/source/stream',
    )
  }
  if (!ref.stream.readable && objectOf(root.trigger)?.webhook !== true) {
    error(
      '/source/stream',
      'value',
      'pushed-only',
      `${where} has no read: its records arrive by webhook, so set trigger.webhook: true`,
    )
  }
  if (objectOf(root.trigger)?.webhook === true && !ref.stream.webhook) {
    const hooked = Object.keys(ref.connector.streams).filter((s) => ref.connector.streams[s]!.webhook)
    const tail = hooked.length
      ? `; streams with webhooks: ${hooked.join(', ')}`
      : `; ${ref.connector.id} has no webhooks`
    error(
      '/trigger/webhook',
      'value',
      'unsupported-webhook',
      `trigger.webhook needs webhook notifications for ${where}${tail}`,
    )
  }
}

function checkTarget(ref: StreamRef, target: unknown, error: Report): void {
  const where = `${ref.connector.id}/${ref.name}`
  const section = objectOf(target)!
  if (ref.stream.operations.length === 0) {
    const writable = Object.keys(ref.connector.streams).filter(
      (s) => ref.connector.streams[s]!.operations.length > 0,
    )
    error(
      '/target/stream',
      'value',
      'not-writable',
      `${where} cannot be written${expectedOneOf(ref.name, writable, 'writable streams:')}`,
    )
    return
  }
  const operation = stringAt(section, 'operation')
  if (operation !== undefined && !ref.stream.operations.includes(operation as never)) {
    const known = ['create', 'update', 'upsert', 'delete'].includes(operation)
    error(
      '/target/operation',
      'value',
      'unknown-operation',
      known
        ? `${where} does not support operation "${operation}"; supported: ${ref.stream.operations.join(', ')}`
        : `unknown operation "${operation}" for ${where}${expectedOneOf(operation, ref.stream.operations)}`,
    )
  }
  if (section.match !== undefined && !ref.stream.find) {
    error(
      '/target/match',
      'key',
      'unsupported-match',
      `target.match needs a stream that can find records; ${where} cannot`,
    )
  }
  const then = Array.isArray(section.then) ? section.then : []
  then.forEach((action, i) => {
    if (typeof action === 'string' && !ref.stream.actions.includes(action)) {
      error(
        `/target/then/${i}`,
        'value',
        'unknown-action',
        `unknown action "${action}" for ${where}${expectedOneOf(action, ref.stream.actions)}`,
      )
    }
  })
}

function label(pointer: string): string {
  return pointer.slice(1).replaceAll('/', '.')
}
