/**
 * Inbound webhooks of a declared connector: the size limit, the handshake echo, the HMAC signature
 * (algorithm, header, encoding, prefix, what is signed) checked in constant time, and each payload
 * turned into events — records pushed to the listening flows, or keys of records to read again.
 */
import { createHmac, timingSafeEqual } from 'node:crypto'
import type {
  ConnectorContext,
  InboundRequest,
  WebhookEvent,
  Webhooks,
} from '../../core/connector/connector.ts'
import { ConnectorError } from '../../core/connector/connector-error.ts'
import type { ConnectorWebhooks } from '../../core/manifest/connector-webhook-schema.ts'
import { MAX_WEBHOOK_BYTES } from '../../core/manifest/connector-webhook-schema.ts'
import { compileExpression, isNothing } from './compile-expression.ts'
import { compileTemplate } from './compile-template.ts'
import { selectRecords } from './select-records.ts'

function payloadOf(req: InboundRequest, limit: number): unknown {
  if (req.body.byteLength > limit)
    throw new ConnectorError(
      'rejected',
      `The payload is ${req.body.byteLength} bytes; this connector accepts at most ${limit}.`,
    )
  const text = new TextDecoder().decode(req.body)
  if (text.trim() === '') return {}
  try {
    return JSON.parse(text)
  } catch {
    throw new ConnectorError('rejected', 'The payload is not JSON.')
  }
}

function queryOf(req: InboundRequest): Record<string, string> {
  return URL.canParse(req.url) ? Object.fromEntries(new URL(req.url).searchParams) : {}
}

/** Builds the contract's Webhooks from the `webhooks` section. */
export function declaredWebhooks(spec: ConnectorWebhooks): Webhooks {
  const limit = spec.maxBytes ?? MAX_WEBHOOK_BYTES
  const signature = spec.signature
  const secret = signature ? compileTemplate(signature.secret, 'webhooks.signature.secret') : undefined
  const signed = signature?.signed
    ? compileTemplate(signature.signed, 'webhooks.signature.signed')
    : undefined
  const handshake = spec.handshake
    ? {
        when: compileExpression(spec.handshake.when, 'webhooks.handshake.when'),
        body: compileExpression(spec.handshake.body, 'webhooks.handshake.body'),
        status: spec.handshake.status ?? 200,
        contentType: spec.handshake.contentType ?? 'text/plain',
      }
    : undefined
  const events = spec.events.map((e, i) => ({
    stream: e.stream,
    when: e.when ? compileExpression(e.when, `webhooks.events[${i}].when`, 'rejected') : undefined,
    records:
      'records' in e ? compileExpression(e.records, `webhooks.events[${i}].records`, 'rejected') : undefined,
    ids: 'ids' in e ? compileExpression(e.ids, `webhooks.events[${i}].ids`, 'rejected') : undefined,
  }))
  const dedupe = spec.dedupe ? compileExpression(spec.dedupe, 'webhooks.dedupe', 'rejected') : undefined

  async function verifySignature(ctx: ConnectorContext, req: InboundRequest) {
    if (!signature || !secret) return
    const name = signature.header.toLowerCase()
    const sent = req.headers[name]
    if (!sent)
      throw new ConnectorError(
        'auth',
        `The delivery is not signed: the ${signature.header} header is missing.`,
      )
    const body = new TextDecoder().decode(req.body)
    const text = signed ? await signed.text({ config: ctx.config, body, headers: req.headers }) : body
    const key = await secret.text({ config: ctx.config })
    const expected = createHmac(signature.algorithm ?? 'sha256', key)
      .update(text)
      .digest(signature.encoding ?? 'hex')
    const given =
      signature.prefix && sent.startsWith(signature.prefix) ? sent.slice(signature.prefix.length) : sent
    const a = Buffer.from(given.trim())
    const b = Buffer.from(expected)
    if (a.length !== b.length || !timingSafeEqual(a, b))
      throw new ConnectorError('auth', `The signature in ${signature.header} does not match the payload.`)
  }

  return {
    streams: [...new Set(spec.events.map((e) => e.stream))],
    pushes: [...new Set(spec.events.filter((e) => 'records' in e).map((e) => e.stream))],
    replyMapped: spec.reply === 'mapped',
    async verify(ctx, req) {
      const payload = payloadOf(req, limit)
      if (handshake && (await handshake.when(payload, { headers: req.headers, query: queryOf(req) }))) {
        const body = await handshake.body(payload, { headers: req.headers, query: queryOf(req) })
        return {
          handshake: {
            status: handshake.status,
            headers: { 'content-type': handshake.contentType },
            body: isNothing(body) ? '' : typeof body === 'string' ? body : JSON.stringify(body),
          },
        }
      }
      await verifySignature(ctx, req)
      return {}
    },
    async parse(_ctx, req) {
      const payload = payloadOf(req, limit)
      const vars = { headers: req.headers }
      const id = dedupe ? await dedupe(payload, vars) : undefined
      const out: WebhookEvent[] = []
      for (const event of events) {
        if (event.when && !(await event.when(payload, vars))) continue
        const dedupeKey = isNothing(id) || id === '' ? undefined : `${String(id)}#${out.length}`
        if (event.records) {
          const records = await selectRecords(payload, event.records, vars)
          if (records.length)
            out.push({ type: 'records', stream: event.stream, records, ...(dedupeKey ? { dedupeKey } : {}) })
        } else if (event.ids) {
          const ids = await event.ids(payload, vars)
          const list = (Array.isArray(ids) ? ids : [ids]).filter((v) => !isNothing(v) && v !== '').map(String)
          if (list.length)
            out.push({
              type: 'changed',
              stream: event.stream,
              ids: list,
              ...(dedupeKey ? { dedupeKey } : {}),
            })
        }
      }
      return out
    },
  }
}
