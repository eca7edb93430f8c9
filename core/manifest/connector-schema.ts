/**
 * The connector manifest v1 schema: a REST system declared in one YAML file — config, auth, streams,
 * errors, limits and webhooks. The single source for validation (ajv), the TypeScript types below,
 * the published manifests/connector.schema.json and the editor completion its modeline gives.
 */
import { type Static, Type } from '@sinclair/typebox'
import { ConnectorAuth } from './connector-auth-schema.ts'
import { jsonataField, templateField } from './connector-expressions.ts'
import { CheckSpec, StatusCode, StreamSpec } from './connector-stream-schema.ts'
import { ConnectorWebhooks } from './connector-webhook-schema.ts'
import { manifestPatterns } from './manifest-patterns.ts'
import { dictionary, oneOf, stringEnum } from './schema-combinators.ts'

const closed = { additionalProperties: false } as const

/** One field of a connection's config. */
export const ConfigField = Type.Object(
  {
    type: stringEnum(['string', 'number', 'integer', 'boolean']),
    title: Type.Optional(Type.String({ minLength: 1 })),
    description: Type.Optional(Type.String()),
    secret: Type.Optional(
      Type.Boolean({ default: false, description: 'Encrypted at rest, never echoed or logged.' }),
    ),
    required: Type.Optional(Type.Boolean({ default: false })),
    default: Type.Optional(Type.Union([Type.String(), Type.Number(), Type.Boolean()])),
    enum: Type.Optional(Type.Array(Type.String(), { minItems: 1, uniqueItems: true })),
    pattern: Type.Optional(
      Type.String({ minLength: 1, description: 'A regular expression the value must match.' }),
    ),
  },
  { ...closed, description: 'A connection setting.' },
)

/** The error kinds a rule may choose (ConnectorError kinds). */
export const ERROR_KINDS = [
  'config',
  'auth',
  'transient',
  'rate_limited',
  'rejected',
  'conflict',
  'not_found',
] as const

/** Maps an error answer to a ConnectorError. */
export const ErrorRule = Type.Object(
  {
    status: oneOf(
      [
        { ...StatusCode, title: 'status' },
        Type.Array(StatusCode, { minItems: 1, uniqueItems: true, title: 'statuses' }),
        Type.String({
          pattern: manifestPatterns.statusClass.pattern,
          title: 'status class',
          description: 'e.g. 5xx',
        }),
      ],
      { description: 'A status, a list of statuses or a class like 4xx.' },
    ),
    when: Type.Optional(jsonataField('over the error body → true when this rule applies.')),
    kind: stringEnum(ERROR_KINDS, { description: 'What the runtime does: retry, park, refresh…' }),
    code: Type.Optional(jsonataField('over the error body → the remote error code.')),
    message: Type.Optional(jsonataField('over the error body → the remote message.')),
    retryAfter: Type.Optional(jsonataField('over the error body → seconds to wait (besides Retry-After).')),
  },
  { ...closed, description: 'The first rule that matches decides the error.' },
)

/** The `errors` section. */
export const ConnectorErrors = Type.Object(
  {
    code: Type.Optional(jsonataField('over any error body → the remote error code.')),
    message: Type.Optional(jsonataField('over any error body → the remote message.')),
    rules: Type.Optional(Type.Array(ErrorRule)),
  },
  {
    ...closed,
    description:
      'Error mapping. Unmatched answers: 401/403 auth, 404 not_found, 409/412 conflict, 429 rate_limited, 408/5xx transient, other 4xx rejected.',
  },
)

/** The `limits` section. */
export const ConnectorLimitsSpec = Type.Object(
  {
    budget: Type.Optional(
      Type.Object(
        {
          requests: Type.Integer({ minimum: 1 }),
          per: Type.String({
            pattern: manifestPatterns.duration.pattern,
            description: `The window (${manifestPatterns.duration.hint}).`,
          }),
        },
        { ...closed, description: 'At most `requests` per sliding window, across all workers.' },
      ),
    ),
    concurrency: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 1000, description: 'Requests in flight.' }),
    ),
  },
  { ...closed, description: 'What the remote allows per connection; the runtime enforces it.' },
)

/** The connector manifest v1. */
export const ConnectorManifest = Type.Object(
  {
    version: Type.Literal(1, { description: 'Connector manifest format version.' }),
    id: Type.String({
      maxLength: 64,
      pattern: manifestPatterns.name.pattern,
      description: `Connector id, ${manifestPatterns.name.hint}; flows name it in connections.`,
    }),
    title: Type.String({ minLength: 1 }),
    description: Type.Optional(Type.String()),
    docs: Type.Optional(Type.String({ minLength: 1, description: 'Where the remote API is documented.' })),
    config: Type.Optional(
      dictionary(ConfigField, {
        keyPattern: manifestPatterns.alias.pattern,
        description: 'Connection settings; templates read them as config.<name>.',
      }),
    ),
    baseUrl: Type.Optional(
      templateField(
        'the API base URL, e.g. "{{ config.baseUrl }}" (needed unless every path is a full URL).',
      ),
    ),
    headers: Type.Optional(
      dictionary(templateField('the header value.'), { description: 'Headers sent with every request.' }),
    ),
    auth: Type.Optional({ ...ConnectorAuth, default: 'none' }),
    check: Type.Optional(CheckSpec),
    redirects: Type.Optional(
      stringEnum(['follow', 'follow-without-credentials', 'refuse'], {
        default: 'follow',
        description:
          'follow: credentials only to the same origin; follow-without-credentials: never on a redirect; refuse: a 3xx is an error.',
      }),
    ),
    errors: Type.Optional(ConnectorErrors),
    limits: Type.Optional(ConnectorLimitsSpec),
    streams: dictionary(StreamSpec, {
      keyPattern: manifestPatterns.alias.pattern,
      minProperties: 1,
      description: 'Stream name → how it is read, found, written.',
    }),
    webhooks: Type.Optional(ConnectorWebhooks),
    sandbox: Type.Optional(
      Type.String({
        minLength: 1,
        description:
          'A module next to the manifest (./sandbox/index.ts) exporting createSandbox: the emulator tests and the demo use.',
      }),
    ),
  },
  { ...closed, title: 'Ferry connector manifest v1' },
)

/** The JSON Schema document published as manifests/connector.schema.json. */
export const connectorJsonSchema = {
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  $id: 'https://ferry.dev/schemas/connector.schema.json',
  ...ConnectorManifest,
}

/** A connector manifest as written (after schema validation, defaults filled in). */
export type ConnectorManifest = Static<typeof ConnectorManifest>
/** One config field. */
export type ConfigField = Static<typeof ConfigField>
/** One error rule. */
export type ErrorRule = Static<typeof ErrorRule>
/** The `errors` section. */
export type ConnectorErrors = Static<typeof ConnectorErrors>
