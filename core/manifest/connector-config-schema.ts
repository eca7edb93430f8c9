/** The JSON Schema of a declared connector's connection config, built from its `config` fields. */
import type { JsonSchema } from '../connector/connector.ts'
import type { ConnectorManifest } from './connector-schema.ts'

/** Config JSON Schema: one property per field, secrets `writeOnly`, required fields listed, nothing else allowed. */
export function connectorConfigSchema(manifest: Pick<ConnectorManifest, 'config'>): JsonSchema {
  const properties: Record<string, JsonSchema> = {}
  const required: string[] = []
  const endpoints = endpointConfigFields(manifest)
  for (const [name, field] of Object.entries(manifest.config ?? {})) {
    const { secret, required: isRequired, ...rest } = field
    properties[name] = {
      ...rest,
      ...(secret ? { writeOnly: true } : {}),
      ...(endpoints.has(name) && !secret ? { 'x-endpoint': true } : {}),
    }
    if (isRequired) required.push(name)
  }
  return { type: 'object', properties, ...(required.length ? { required } : {}), additionalProperties: false }
}

/** Names of the config fields marked secret. */
export function secretConfigFields(manifest: Pick<ConnectorManifest, 'config'>): string[] {
  return Object.entries(manifest.config ?? {})
    .filter(([, f]) => f.secret)
    .map(([name]) => name)
}

/**
 * Config fields that decide where requests go: those a URL template reads (`baseUrl`, `tokenUrl`,
 * a stream's `path` or `url`). The runtime marks them `x-endpoint`, so moving one asks for the
 * connection's secrets again, as for the TypeScript connectors.
 */
function endpointConfigFields(manifest: object): Set<string> {
  const found = new Set<string>()
  const visit = (value: unknown, key: string): void => {
    if (typeof value === 'string') {
      if (/url$/i.test(key) || key === 'path' || key === 'url')
        for (const m of value.matchAll(/\bconfig\.([A-Za-z_][A-Za-z0-9_]*)/g)) found.add(m[1]!)
      return
    }
    if (Array.isArray(value)) for (const item of value) visit(item, key)
    else if (value && typeof value === 'object')
      for (const [k, v] of Object.entries(value)) if (k !== 'config') visit(v, k)
  }
  visit(manifest, '')
  return found
}
