/**
 * Inbound webhooks of a declared connector: how a delivery is authenticated (an HMAC signature),
 * which requests are handshakes to echo, and what each payload means — records pushed to a flow, or
 * keys whose records should be read again.
 */
import { type Static, Type } from '@sinclair/typebox'
import { jsonataField, templateField } from './connector-expressions.ts'
import { StatusCode } from './connector-stream-schema.ts'
import { oneOf, stringEnum } from './schema-combinators.ts'

const closed = { additionalProperties: false } as const

/** The largest webhook body any connector may accept (the ingress refuses bigger ones). */
export const MAX_WEBHOOK_BYTES = 1024 * 1024

/** An HMAC signature over the delivery. */
export const WebhookSignature = Type.Object(
  {
    header: Type.String({ minLength: 1, description: 'The header carrying the signature.' }),
    algorithm: Type.Optional(stringEnum(['sha1', 'sha256', 'sha512'], { default: 'sha256' })),
    encoding: Type.Optional(stringEnum(['hex', 'base64'], { default: 'hex' })),
    prefix: Type.Optional(
      Type.String({ minLength: 1, description: 'Text before the digest in the header, e.g. sha256=.' }),
    ),
    secret: templateField('the shared secret, e.g. "{{ config.webhookSecret }}".'),
    signed: Type.Optional(
      templateField(
        'over { body, headers } → the signed text (default: the raw body), e.g. "{{ headers.`x-timestamp` }}.{{ body }}".',
      ),
    ),
  },
  { ...closed, description: 'HMAC signature check; a delivery without a valid signature gets 401.' },
)

/** A validation request to be answered as given and not processed. */
export const WebhookHandshake = Type.Object(
  {
    when: jsonataField('over the payload, with $headers and $query → true for a handshake.'),
    status: Type.Optional({ ...StatusCode, default: 200 }),
    body: jsonataField('over the payload, with $headers and $query → the reply text (the echoed token).'),
    contentType: Type.Optional(Type.String({ minLength: 1, default: 'text/plain' })),
  },
  { ...closed, description: 'A handshake the remote sends before deliveries, answered by echoing.' },
)

const eventBase = {
  when: Type.Optional(jsonataField('over the payload, with $headers → true when this event applies.')),
  stream: Type.String({ minLength: 1, description: 'A stream of this connector.' }),
}

/** What a delivery means. */
export const WebhookEvent = oneOf(
  [
    Type.Object(
      { ...eventBase, records: jsonataField('over the payload → the record(s) it carries.') },
      { ...closed, title: 'records' },
    ),
    Type.Object(
      { ...eventBase, ids: jsonataField('over the payload → the key(s) of records to read again.') },
      { ...closed, title: 'ids' },
    ),
  ],
  { description: 'records: the payload carries the records; ids: it names records to re-read.' },
)

/** The `webhooks` section. */
export const ConnectorWebhooks = Type.Object(
  {
    signature: Type.Optional(WebhookSignature),
    handshake: Type.Optional(WebhookHandshake),
    events: Type.Array(WebhookEvent, {
      minItems: 1,
      description: 'Tried in order; every event whose `when` holds (or has none) applies.',
    }),
    dedupe: Type.Optional(
      jsonataField('over the payload, with $headers → a delivery id; a repeated id is stored once.'),
    ),
    maxBytes: Type.Optional(
      Type.Integer({
        minimum: 1,
        maximum: MAX_WEBHOOK_BYTES,
        description: `Largest accepted payload in bytes (at most ${MAX_WEBHOOK_BYTES}).`,
      }),
    ),
    reply: Type.Optional(
      stringEnum(['accepted', 'mapped'], {
        default: 'accepted',
        description:
          'accepted: 202 once stored; mapped: 200 with what the listening flow maps the pushed record(s) to.',
      }),
    ),
  },
  { ...closed, description: 'Inbound webhooks at /hooks/{tenant}/{connection}.' },
)

/** `webhooks` as written. */
export type ConnectorWebhooks = Static<typeof ConnectorWebhooks>
/** One of `webhooks.events`. */
export type WebhookEventSpec = Static<typeof WebhookEvent>
