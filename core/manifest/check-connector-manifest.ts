/**
 * Checks of a connector manifest that the schema cannot express: credentials come only from secret
 * config fields, paging styles have what they need, webhook events name streams that exist and can
 * be re-read, and the sandbox module is there. Runs on whatever parts are well-formed.
 */
import type { Diagnostic } from './diagnostic.ts'
import { expectedOneOf } from './did-you-mean.ts'
import { entriesAt, objectOf, stringAt } from './manifest-data.ts'
import { diagnosticAt, escapePointer, type ManifestSource } from './manifest-source.ts'
import type { ResolveFile } from './resolve-file.ts'
import { fieldLabel } from './schema-diagnostics.ts'

/** Where a manifest puts credentials: each must read only secret config fields. */
const CREDENTIALS = [
  '/auth/apiKey/value',
  '/auth/basic/password',
  '/auth/clientCredentials/clientSecret',
  '/auth/authorizationCode/clientSecret',
  '/webhooks/signature/secret',
]

const SECRET_NAME = /(secret|password|passwd|token|api[-_]?key|private[-_]?key)$/i

/** Diagnostics for the connector-specific rules; `data` may be partly invalid. */
export function checkConnectorManifest(
  source: ManifestSource,
  data: unknown,
  resolveFile?: ResolveFile,
): Diagnostic[] {
  const out: Diagnostic[] = []
  const report = (
    pointer: string,
    at: 'key' | 'value',
    code: string,
    message: string,
    severity?: 'warning',
  ) => out.push(diagnosticAt(source, pointer, at, { code, message, severity }))
  const root = objectOf(data) ?? {}
  const config = entriesAt(root, 'config')
  const secret = new Set(config.filter(([, f]) => objectOf(f)?.secret === true).map(([name]) => name))

  for (const [name, field] of config) {
    if (SECRET_NAME.test(name) && objectOf(field)?.secret !== true)
      report(
        `/config/${escapePointer(name)}`,
        'key',
        'unmarked-secret',
        `config.${name} looks like a credential but is not marked secret: true (it would be stored unencrypted and shown)`,
        'warning',
      )
  }
  for (const pointer of CREDENTIALS) {
    const template = valueAt(root, pointer)
    if (typeof template !== 'string') continue
    const refs = [...template.matchAll(/(?<![\w.$])config\.([A-Za-z_][\w-]*)/g)].map((m) => m[1]!)
    if (refs.length === 0) {
      report(
        pointer,
        'value',
        'inline-secret',
        `${fieldLabel(pointer)} must read a secret config field (e.g. "{{ config.apiKey }}"), not hold the credential itself`,
      )
      continue
    }
    const plain = refs.filter((name) => !secret.has(name) && config.some(([n]) => n === name))
    if (plain.length > 0)
      report(
        pointer,
        'value',
        'credential-not-secret',
        `${fieldLabel(pointer)} reads config.${plain[0]}, which is not marked secret: true; mark it so it is encrypted at rest and never shown`,
      )
  }

  const streams = entriesAt(root, 'streams')
  for (const [name, stream] of streams) {
    const read = objectOf(objectOf(stream)?.read)
    const paging = objectOf(read?.paging)
    const style = paging && ['offset', 'pageNumber'].find((k) => k in paging)
    if (style && read?.pageSize === undefined) {
      const pointer = `/streams/${escapePointer(name)}/read/paging/${style}`
      report(
        pointer,
        'key',
        'missing-page-size',
        `paging.${style} needs read.pageSize (param and max): a short page is how the last one is recognised`,
      )
    }
  }

  if (root.baseUrl === undefined) {
    const relative = requestPaths(root).find(([, path]) => !/^https?:\/\//i.test(path))
    if (relative)
      report(
        '/baseUrl',
        'key',
        'missing-field',
        `missing required field "baseUrl": ${fieldLabel(relative[0])} is a path relative to it`,
      )
  }

  const names = streams.map(([name]) => name)
  const events = objectOf(root.webhooks)?.events
  if (Array.isArray(events)) {
    events.forEach((event, i) => {
      const stream = stringAt(event, 'stream')
      if (stream === undefined) return
      const pointer = `/webhooks/events/${i}/stream`
      const spec = objectOf(streams.find(([n]) => n === stream)?.[1])
      if (!spec) {
        report(
          pointer,
          'value',
          'unknown-stream',
          `webhooks.events[${i}].stream "${stream}" is not a stream of this connector${expectedOneOf(stream, names)}`,
        )
        return
      }
      if (objectOf(event)?.ids !== undefined && objectOf(spec.read) === undefined)
        report(
          pointer,
          'value',
          'not-readable',
          `webhooks.events[${i}] names ids to re-read, but streams.${stream} has no read`,
        )
    })
  }

  const sandbox = stringAt(root, 'sandbox')
  if (sandbox !== undefined && resolveFile && !resolveFile(sandbox, source.file))
    report(
      '/sandbox',
      'value',
      'missing-file',
      `sandbox module "${sandbox}" not found (paths are relative to the manifest's folder)`,
    )
  return out
}

/** Every request path of the manifest with its pointer. */
function requestPaths(root: Record<string, unknown>): [string, string][] {
  const out: [string, string][] = []
  const add = (pointer: string, spec: unknown) => {
    const path = stringAt(spec, 'path')
    if (path !== undefined) out.push([`${pointer}/path`, path])
  }
  add('/check', root.check)
  for (const [name, stream] of entriesAt(root, 'streams')) {
    const at = `/streams/${escapePointer(name)}`
    const spec = objectOf(stream)
    add(`${at}/read`, spec?.read)
    add(`${at}/read/byIds`, objectOf(spec?.read)?.byIds)
    add(`${at}/find`, spec?.find)
    for (const [op, w] of entriesAt(spec, 'write')) add(`${at}/write/${op}`, w)
    for (const [action, a] of entriesAt(spec, 'actions')) add(`${at}/actions/${escapePointer(action)}`, a)
  }
  return out
}

function valueAt(root: Record<string, unknown>, pointer: string): unknown {
  let value: unknown = root
  for (const segment of pointer.slice(1).split('/')) value = objectOf(value)?.[segment]
  return value
}
