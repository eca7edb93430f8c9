/**
 * The Basware connection's configuration: where the tenant's API lives, how to authenticate, which
 * companies to read, and how webhook signatures are encoded.
 */
import type { JsonSchema } from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'

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

/** A validated Basware connection config. */
export type Config = {
  region?: BaswareRegion
  baseUrl?: string
  authMode?: 'oauth2' | 'basic'
  clientId?: string
  clientSecret?: string
  username?: string
  password?: string
  /** Space-separated OAuth2 scopes; defaults to {@link DEFAULT_SCOPES}. */
  scopes?: string
  /** Companies whose invoices this connection reads (empty: all). */
  companyCodes?: string[]
  /** How `X-BWAPI-Signature-256` is encoded; `auto` accepts hex and base64, with or without `sha256=`. */
  signatureEncoding?: 'auto' | 'hex' | 'base64'
}

/** JSON Schema of the config; secrets are `writeOnly`. */
export const configSchema: JsonSchema = {
  type: 'object',
  properties: {
    region: {
      type: 'string',
      enum: Object.keys(REGION_BASE_URLS),
      description: 'Basware API region; ignored when baseUrl is set.',
    },
    baseUrl: {
      type: 'string',
      format: 'uri',
      description: 'Explicit API base URL, e.g. https://test-api.basware.com.',
    },
    authMode: { type: 'string', enum: ['oauth2', 'basic'], default: 'oauth2' },
    clientId: { type: 'string', minLength: 1 },
    clientSecret: { type: 'string', minLength: 1, writeOnly: true },
    username: { type: 'string', description: 'API user for basic authentication.' },
    password: { type: 'string', writeOnly: true },
    scopes: {
      type: 'string',
      description: 'Space-separated OAuth2 scopes.',
      default: DEFAULT_SCOPES.join(' '),
    },
    companyCodes: { type: 'array', items: { type: 'string', maxLength: 32 } },
    signatureEncoding: { type: 'string', enum: ['auto', 'hex', 'base64'], default: 'auto' },
  },
  anyOf: [{ required: ['region'] }, { required: ['baseUrl'] }],
  additionalProperties: false,
}

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
