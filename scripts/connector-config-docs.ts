/**
 * The "Connection config" table of each connector's README, generated from its TypeBox config
 * schema (the single source of the config's type, validation and docs), between two markers.
 */
import { readFileSync } from 'node:fs'
import { connectors } from '../connectors/index.ts'
import type { JsonSchema } from '../core/connector/connector.ts'

const BEGIN = '<!-- config:begin (generated from configSchema by `npm run generate`) -->'
const END = '<!-- config:end -->'

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n/g, ' ')

function typeOf(p: JsonSchema): string {
  if (Array.isArray(p.enum)) return (p.enum as unknown[]).map((v) => `\`${String(v)}\``).join(' | ')
  if (p.type === 'array') return `${typeOf((p.items ?? {}) as JsonSchema)}[]`
  const bounds = [
    p.minimum !== undefined ? `≥ ${p.minimum}` : '',
    p.maximum !== undefined ? `≤ ${p.maximum}` : '',
  ].filter(Boolean)
  const format = p.format ? ` (${p.format})` : ''
  return `${String(p.type ?? 'any')}${format}${bounds.length ? ` ${bounds.join(', ')}` : ''}`
}

/** The markdown table of a config schema. */
export function configTable(schema: JsonSchema): string {
  const required = new Set((schema.required ?? []) as string[])
  const rows = Object.entries((schema.properties ?? {}) as Record<string, JsonSchema>).map(([name, p]) => {
    const notes = [
      p.writeOnly === true ? 'secret (encrypted, never shown)' : '',
      p['x-endpoint'] === true ? 'endpoint (changing it asks for the secrets again)' : '',
    ].filter(Boolean)
    const shown = JSON.stringify(p.default)
    const fallback = p.default === undefined ? '' : shown.length > 40 ? 'see meaning' : `\`${shown}\``
    const text = [String(p.description ?? ''), ...notes].filter(Boolean).join(' — ')
    return `| \`${name}\` | ${cell(typeOf(p))} | ${required.has(name) ? 'yes' : ''} | ${cell(fallback)} | ${cell(text)} |`
  })
  const anyOf = Array.isArray(schema.anyOf)
    ? `\nOne of these must be set: ${(schema.anyOf as { required: string[] }[]).map((a) => a.required.map((r) => `\`${r}\``).join(' + ')).join(' or ')}.\n`
    : ''
  return (
    ['| Field | Type | Required | Default | Meaning |', '|---|---|---|---|---|', ...rows].join('\n') +
    '\n' +
    anyOf
  )
}

/** README path → its text with the config section regenerated (connectors whose README has the markers). */
export function connectorConfigDocs(root: string): Record<string, string> {
  const files: Record<string, string> = {}
  for (const [id, connector] of Object.entries(connectors)) {
    const path = `connectors/${id}/README.md`
    const text = readFileSync(`${root}${path}`, 'utf8')
    const begin = text.indexOf(BEGIN)
    const end = text.indexOf(END)
    if (begin < 0 || end < begin) continue
    files[path] =
      `${text.slice(0, begin + BEGIN.length)}\n${configTable(connector.configSchema)}${text.slice(end)}`
  }
  return files
}
