/**
 * A Business Central connection: which tenant, environment and company, and how to authenticate.
 * `baseUrl` and `authorityUrl` are overridable for sovereign clouds, on-premises gateways and the sandbox.
 */
import { type Static, Type } from '@sinclair/typebox'
import { stringEnum } from '../../core/manifest/schema-combinators.ts'

export const defaultBaseUrl = 'https://api.businesscentral.dynamics.com'
export const defaultAuthorityUrl = 'https://login.microsoftonline.com'
/** The resource scope of BC online; the `.default` form grants what the app registration holds. */
export const bcScope = 'https://api.businesscentral.dynamics.com/.default'

/**
 * A BC connection's config: the single source of its type, its validation and its documentation.
 * Secrets are `writeOnly`; fields that decide where requests go are marked `x-endpoint`.
 */
export const configSchema = Type.Object(
  {
    tenantId: Type.String({ minLength: 1, description: 'Microsoft Entra tenant id (GUID) or domain.' }),
    environment: Type.String({ minLength: 1, description: 'BC environment name, e.g. Production.' }),
    company: Type.String({ minLength: 1, description: 'Company id (GUID) or its exact name.' }),
    clientId: Type.String({ minLength: 1, description: 'Application (client) id of the Entra app.' }),
    clientSecret: Type.String({
      minLength: 1,
      writeOnly: true,
      description: 'Client secret of the Entra app.',
    }),
    baseUrl: Type.Optional(
      Type.String({
        format: 'uri',
        'x-endpoint': true,
        default: defaultBaseUrl,
        description: 'API host (sovereign cloud, sandbox).',
      }),
    ),
    authorityUrl: Type.Optional(
      Type.String({
        format: 'uri',
        'x-endpoint': true,
        default: defaultAuthorityUrl,
        description: 'Entra authority host.',
      }),
    ),
    authMode: Type.Optional(
      stringEnum(['clientCredentials', 'delegated'], {
        default: 'clientCredentials',
        description:
          '`clientCredentials` (service-to-service) or `delegated` (a signed-in user’s refresh token).',
      }),
    ),
    delegatedScopes: Type.Optional(
      Type.Array(Type.String(), {
        description: 'Extra scopes for delegated consent; `offline_access` is always added.',
      }),
    ),
  },
  { additionalProperties: false },
)

/** The connection config as the runtime passes it (validated against {@link configSchema}). */
export type Config = Static<typeof configSchema>

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
