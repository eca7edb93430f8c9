/**
 * How a declared connector authenticates its requests. Each kind is its own key (`apiKey`, `basic`,
 * `clientCredentials`, `authorizationCode`) or the word `none`, so a manifest says which it means and
 * a mix of two is reported as such. (ajv fills no defaults inside alternatives, so defaults are
 * named in descriptions and applied by the runtime.)
 */
import { type Static, Type } from '@sinclair/typebox'
import { templateField } from './connector-expressions.ts'
import { dictionary, oneOf, stringEnum } from './schema-combinators.ts'

const closed = { additionalProperties: false } as const

/** An API key sent in a header or a query parameter. */
export const ApiKeyAuth = Type.Object(
  {
    in: Type.Optional(
      stringEnum(['header', 'query'], { description: 'Where the key goes (default header).' }),
    ),
    name: Type.String({ minLength: 1, description: 'The header or query parameter name, e.g. X-Api-Key.' }),
    value: templateField('the key, e.g. "{{ config.apiKey }}" or "Bearer {{ config.token }}".'),
  },
  { ...closed, description: 'An API key in a header or a query parameter.' },
)

/** HTTP Basic authentication. */
export const BasicAuth = Type.Object(
  {
    username: templateField('the user name, e.g. "{{ config.username }}".'),
    password: templateField('the password, e.g. "{{ config.password }}".'),
  },
  { ...closed, description: 'HTTP Basic (RFC 7617).' },
)

const oauthClient = {
  tokenUrl: templateField('the token endpoint.'),
  clientId: templateField('the client id.'),
  clientSecret: templateField('the client secret.'),
  scopes: Type.Optional(
    Type.Array(Type.String({ minLength: 1 }), { description: 'Scopes to ask for (space-joined).' }),
  ),
  clientAuth: Type.Optional(
    stringEnum(['body', 'basic'], {
      description: 'How the client authenticates at the token endpoint: form fields (default) or HTTP Basic.',
    }),
  ),
  params: Type.Optional(
    dictionary(templateField('an extra token request field (e.g. resource, audience).'), {
      description: 'Extra form fields of the token request.',
    }),
  ),
}

/** OAuth 2.0 client credentials: a service token fetched and cached until shortly before expiry. */
export const ClientCredentialsAuth = Type.Object(oauthClient, {
  ...closed,
  description: 'OAuth 2.0 client credentials (RFC 6749 §4.4).',
})

/** OAuth 2.0 authorization code with refresh: a user consents once; refresh tokens are kept and rotated. */
export const AuthorizationCodeAuth = Type.Object(
  {
    authorizeUrl: templateField('the authorization endpoint the user is sent to.'),
    ...oauthClient,
    pkce: Type.Optional(Type.Boolean({ description: 'Use PKCE with S256 (default true).' })),
  },
  { ...closed, description: 'OAuth 2.0 authorization code with refresh tokens (consent in the browser).' },
)

/** The `auth` section. */
export const ConnectorAuth = oneOf(
  [
    stringEnum(['none'], { title: 'none', description: 'No authentication.' }),
    Type.Object({ apiKey: ApiKeyAuth }, { ...closed, title: 'apiKey' }),
    Type.Object({ basic: BasicAuth }, { ...closed, title: 'basic' }),
    Type.Object({ clientCredentials: ClientCredentialsAuth }, { ...closed, title: 'clientCredentials' }),
    Type.Object({ authorizationCode: AuthorizationCodeAuth }, { ...closed, title: 'authorizationCode' }),
  ],
  {
    description: 'none, or one of apiKey, basic, clientCredentials, authorizationCode.',
  },
)

/** The `auth` section as written. */
export type ConnectorAuth = Static<typeof ConnectorAuth>
/** An OAuth client (the common part of both OAuth kinds). */
export type OAuthClientAuth = Static<typeof ClientCredentialsAuth>
/** The authorization-code kind. */
export type AuthorizationCodeAuth = Static<typeof AuthorizationCodeAuth>
