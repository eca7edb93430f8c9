import type { JsonSchema } from './connector.ts'

/**
 * Names of the config properties that decide where a connection's requests go: those a connector
 * marks with `'x-endpoint': true` (base URLs, authority hosts, a region that picks a host). Changing
 * one of them sends the stored secrets somewhere new, so the runtime asks for them again.
 */
export function endpointFields(schema: JsonSchema): string[] {
  const props = (schema.properties ?? {}) as Record<string, { 'x-endpoint'?: unknown }>
  return Object.entries(props)
    .filter(([, p]) => p['x-endpoint'] === true)
    .map(([name]) => name)
}

/** Names of the config properties that hold a URL (`format: 'uri'`), endpoints or not. */
export function urlFields(schema: JsonSchema): string[] {
  const props = (schema.properties ?? {}) as Record<string, { format?: unknown }>
  return Object.entries(props)
    .filter(([, p]) => p.format === 'uri')
    .map(([name]) => name)
}
