import { createHmac } from 'node:crypto'
import { Hono } from 'hono'
import { describe, expect, it } from 'vitest'
import type { InboundRequest } from '../../core/connector/connector.ts'
import { declared, remoteContext } from './test-env.ts'

const connector = declared(`version: 1
id: hooks-test
title: Hooks
config:
  signingKey: { type: string, secret: true }
streams:
  invoices:
    description: Invoices.
    read:
      path: https://remote.test/invoices
webhooks:
  signature:
    header: X-Hub-Signature
    algorithm: sha512
    encoding: base64
    prefix: "t="
    secret: "{{ config.signingKey }}"
    signed: "{{ headers.\`x-hub-time\` }}:{{ body }}"
  handshake:
    when: $exists($query.validationToken)
    body: $query.validationToken
  events:
    - when: kind = 'created'
      stream: invoices
      records: invoices
    - when: kind = 'changed'
      stream: invoices
      ids: changes.invoiceId
  dedupe: $headers.\`x-hub-delivery\`
  maxBytes: 2000
`)
const hooks = connector.webhooks!
const { ctx } = remoteContext(new Hono(), { signingKey: 'k3y-of-the-hub' })

function request(
  payload: unknown,
  options: { key?: string; time?: string; url?: string; headers?: Record<string, string> } = {},
): InboundRequest {
  const body = JSON.stringify(payload)
  const time = options.time ?? '1764669600'
  const digest = createHmac('sha512', options.key ?? 'k3y-of-the-hub')
    .update(`${time}:${body}`)
    .digest('base64')
  return {
    method: 'POST',
    url: options.url ?? 'https://ferry.test/hooks/t/c',
    headers: {
      'x-hub-time': time,
      'x-hub-signature': `t=${digest}`,
      'x-hub-delivery': 'dlv-9',
      ...options.headers,
    },
    body: new TextEncoder().encode(body),
  }
}

describe('declared webhooks', () => {
  it('accepts a delivery signed as declared: algorithm, encoding, prefix and what is signed', async () => {
    await expect(hooks.verify(ctx, request({ kind: 'created' }), [])).resolves.toEqual({})
  })

  it.each([
    ['a wrong key', request({ kind: 'created' }, { key: 'other' })],
    [
      'a changed timestamp',
      {
        ...request({ kind: 'created' }),
        headers: { ...request({ kind: 'created' }).headers, 'x-hub-time': '1' },
      },
    ],
    ['no signature', { ...request({}), headers: {} }],
  ])('refuses %s with an auth error', async (_, req) => {
    await expect(hooks.verify(ctx, req, [])).rejects.toMatchObject({ kind: 'auth' })
  })

  it('echoes a handshake without processing it', async () => {
    const verified = await hooks.verify(
      ctx,
      { ...request({}), url: 'https://ferry.test/hooks/t/c?validationToken=abc%20123', headers: {} },
      [],
    )
    expect(verified.handshake).toEqual({
      status: 200,
      headers: { 'content-type': 'text/plain' },
      body: 'abc 123',
    })
  })

  it('turns payloads into pushed records or keys to re-read, with the delivery id as dedupe key', async () => {
    expect(await hooks.parse(ctx, request({ kind: 'created', invoices: [{ id: 1 }, { id: 2 }] }))).toEqual([
      { type: 'records', stream: 'invoices', records: [{ id: 1 }, { id: 2 }], dedupeKey: 'dlv-9#0' },
    ])
    expect(
      await hooks.parse(ctx, request({ kind: 'changed', changes: [{ invoiceId: 'A' }, { invoiceId: 'B' }] })),
    ).toEqual([{ type: 'changed', stream: 'invoices', ids: ['A', 'B'], dedupeKey: 'dlv-9#0' }])
    expect(await hooks.parse(ctx, request({ kind: 'deleted' }))).toEqual([])
    expect(hooks.pushes).toEqual(['invoices'])
  })

  it('refuses a payload over the declared size and one that is not JSON', async () => {
    await expect(
      hooks.verify(ctx, request({ kind: 'created', pad: 'x'.repeat(2000) }), []),
    ).rejects.toMatchObject({ kind: 'rejected' })
    await expect(
      hooks.parse(ctx, { ...request({}), body: new TextEncoder().encode('<xml/>') }),
    ).rejects.toMatchObject({ kind: 'rejected' })
  })
})
