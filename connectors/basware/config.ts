/**
 * The Basware connection's configuration: where the tenant's API lives, how to authenticate, which
 * companies to read, and how webhook signatures are encoded.
 */
import { type Static, Type } from '@sinclair/typebox'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import { stringEnum } from '../../core/manifest/schema-combinators.ts'

/** Basware regions and their API hosts (EU confirmed; the others follow Basware's naming pattern). */
export const REGION_BASE_URLS = {
  EU: 'https://api.basware.com',
  'EU-TEST': 'https://test-api.basware.com',
  US: 'https://api.us.basware.com',
  'US-TEST': 'https://test-api.us.basware.com',
  AU: 'https://api.au.basware.com',
  'AU-TEST': 'https://test-api.au.basware.com',
  CA: 'https://api.ca.basware.com',
  'CA-TEST': 'https://test-api.ca.basware.com',
} as const

/** A Basware region name. */
export type BaswareRegion = keyof typeof REGION_BASE_URLS

/** Scopes the connector asks for by default: exactly the APIs it calls (reads of master data serve `find`). */
export const DEFAULT_SCOPES = [
  'accountingDocuments.read',
  'accountingDocuments.write',
  ...[
    'vendors',
    'accounts',
    'costCenters',
    'lists',
    'taxCodes',
    'paymentTerms',
    'matchingOrders',
    'matchingOrderLines',
  ].flatMap((api) => [`${api}.read`, `${api}.write`]),
  'requestStatus.read',
  'subscriptions.read',
  'subscriptions.write',
  'subscriptions.delete',
]

/**
 * A Basware connection's config: the single source of its type, its validation and its documentation.
 * Secrets are `writeOnly`; fields that decide where requests go (`region`, `baseUrl`) are `x-endpoint`.
 */
export const configSchema = Type.Object(
  {
    region: Type.Optional(
      stringEnum(Object.keys(REGION_BASE_URLS) as BaswareRegion[], {
        'x-endpoint': true,
        description: 'Basware API region; ignored when baseUrl is set.',
      }),
    ),
    baseUrl: Type.Optional(
      Type.String({
        format: 'uri',
        'x-endpoint': true,
        description: 'Explicit API base URL, e.g. https://test-api.basware.com.',
      }),
    ),
    authMode: Type.Optional(
      stringEnum(['oauth2', 'basic'], {
        default: 'oauth2',
        description: 'OAuth2 client credentials, or basic authentication as an API user.',
      }),
    ),
    clientId: Type.Optional(Type.String({ minLength: 1, description: 'OAuth2 client id.' })),
    clientSecret: Type.Optional(
      Type.String({ minLength: 1, writeOnly: true, description: 'OAuth2 client secret.' }),
    ),
    username: Type.Optional(Type.String({ description: 'API user for basic authentication.' })),
    password: Type.Optional(
      Type.String({ writeOnly: true, description: 'Password of the API user (basic authentication).' }),
    ),
    scopes: Type.Optional(
      Type.String({
        description: 'Space-separated OAuth2 scopes; by default exactly the APIs the connector calls.',
        default: DEFAULT_SCOPES.join(' '),
      }),
    ),
    companyCodes: Type.Optional(
      Type.Array(Type.String({ maxLength: 32 }), {
        description: 'Companies whose invoices this connection reads (empty: all).',
      }),
    ),
    signatureEncoding: Type.Optional(
      stringEnum(['auto', 'hex', 'base64'], {
        default: 'auto',
        description:
          'How `X-BWAPI-Signature-256` is encoded; `auto` accepts hex and base64, with or without `sha256=`.',
      }),
    ),
  },
  { anyOf: [{ required: ['region'] }, { required: ['baseUrl'] }], additionalProperties: false },
)

/** A validated Basware connection config. */
export type Config = Static<typeof configSchema>

/** The API base URL without a trailing slash; throws `config` when neither baseUrl nor region is usable. */
export function resolveBaseUrl(config: Config): string {
  const url = config.baseUrl ?? (config.region ? REGION_BASE_URLS[config.region] : undefined)
  if (!url)
    throw new ConnectorError('config', 'Set either baseUrl or region (EU, US, AU, CA or their -TEST hosts).')
  if (!URL.canParse(url)) throw new ConnectorError('config', `baseUrl '${url}' is not a valid URL.`)
  return url.replace(/\/+$/, '')
}

/** The secret values of a config, for redaction. */
export function configSecrets(config: Config): string[] {
  return [config.clientSecret, config.password].filter(
    (s): s is string => typeof s === 'string' && s.length > 0,
  )
}
