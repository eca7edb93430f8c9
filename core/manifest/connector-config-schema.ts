/** The JSON Schema of a declared connector's connection config, built from its `config` fields. */
import type { JsonSchema } from '../connector/connector.ts'
import type { ConnectorManifest } from './connector-schema.ts'

/** Config JSON Schema: one property per field, secrets `writeOnly`, required fields listed, nothing else allowed. */
export function connectorConfigSchema(manifest: Pick<ConnectorManifest, 'config'>): JsonSchema {
  const properties: Record<string, JsonSchema> = {}
  const required: string[] = []
  for (const [name, field] of Object.entries(manifest.config ?? {})) {
    const { secret, required: isRequired, ...rest } = field
    properties[name] = { ...rest, ...(secret ? { writeOnly: true } : {}) }
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
