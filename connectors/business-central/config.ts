/**
 * A Business Central connection: which tenant, environment and company, and how to authenticate.
 * `baseUrl` and `authorityUrl` are overridable for sovereign clouds, on-premises gateways and the sandbox.
 */
import type { JsonSchema } from '../../core/connector/connector.ts'

/** The connection config as the runtime passes it (validated against {@link configSchema}). */
export interface Config {
  tenantId: string
  environment: string
  /** Company id (GUID) or exact company name. */
  company: string
  clientId: string
  clientSecret: string
  baseUrl?: string
  authorityUrl?: string
  /** `clientCredentials` (service-to-service, default) or `delegated` (a signed-in user's refresh token). */
  authMode?: 'clientCredentials' | 'delegated'
  /** Extra scopes for delegated consent; `offline_access` is always added. */
  delegatedScopes?: string[]
}

export const defaultBaseUrl = 'https://api.businesscentral.dynamics.com'
export const defaultAuthorityUrl = 'https://login.microsoftonline.com'
/** The resource scope of BC online; the `.default` form grants what the app registration holds. */
export const bcScope = 'https://api.businesscentral.dynamics.com/.default'

/** JSON Schema of a BC connection; the client secret is `writeOnly` (a secret). */
export const configSchema: JsonSchema = {
  type: 'object',
  required: ['tenantId', 'environment', 'company', 'clientId', 'clientSecret'],
  additionalProperties: false,
  properties: {
    tenantId: { type: 'string', minLength: 1, description: 'Microsoft Entra tenant id (GUID) or domain.' },
    environment: { type: 'string', minLength: 1, description: 'BC environment name, e.g. Production.' },
    company: { type: 'string', minLength: 1, description: 'Company id (GUID) or its exact name.' },
    clientId: { type: 'string', minLength: 1, description: 'Application (client) id of the Entra app.' },
    clientSecret: {
      type: 'string',
      minLength: 1,
      writeOnly: true,
      description: 'Client secret of the Entra app.',
    },
    baseUrl: {
      type: 'string',
      format: 'uri',
      default: defaultBaseUrl,
      description: 'API host (sovereign cloud, sandbox).',
    },
    authorityUrl: {
      type: 'string',
      format: 'uri',
      default: defaultAuthorityUrl,
      description: 'Entra authority host.',
    },
    authMode: { type: 'string', enum: ['clientCredentials', 'delegated'], default: 'clientCredentials' },
    delegatedScopes: {
      type: 'array',
      items: { type: 'string' },
      description: 'Extra scopes for delegated consent.',
    },
  },
}

/** The connection's secrets, for redaction. */
export function configSecrets(config: Config): string[] {
  return [config.clientSecret]
}

/** Strips a trailing slash so URLs can be joined with `/`. */
function trimSlash(url: string): string {
  return url.endsWith('/') ? url.slice(0, -1) : url
}

/** `{base}/v2.0/{tenant}/{environment}/api/v2.0`: the root every API URL hangs from. */
export function apiRoot(config: Config): string {
  const base = trimSlash(config.baseUrl ?? defaultBaseUrl)
  return `${base}/v2.0/${encodeURIComponent(config.tenantId)}/${encodeURIComponent(config.environment)}/api/v2.0`
}

/** `{authority}/{tenant}/oauth2/v2.0`: the Entra v2 endpoints of the tenant. */
export function authorityRoot(config: Config): string {
  return `${trimSlash(config.authorityUrl ?? defaultAuthorityUrl)}/${encodeURIComponent(config.tenantId)}/oauth2/v2.0`
}
