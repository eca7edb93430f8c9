import { createHmac } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import type { ConnectorContext, InboundRequest } from '../../core/connector/connector.ts'
import type { Config } from './config.ts'
import { webhooks } from './webhooks.ts'

const appId = '6f1c2a9e-4b7d-4c3e-9a51-2d8e7f0b1c44'
const ctx = {
  config: { appId, accessCode: 'secret-code', orgCompanyCode: 'co' },
} as ConnectorContext<Config>

function delivery(rows: unknown[], patch: Record<string, unknown> = {}, signWith = appId): InboundRequest {
  const data = JSON.stringify(rows)
  const body = {
    success: true,
    error_code: null,
    error_message: '',
    signature: createHmac('sha256', signWith).update(data).digest('hex'),
    data_type: 1,
    org_company_code: 'co',
    app_id: appId,
    data,
    ...patch,
  }
  return {
    method: 'POST',
    url: 'http://ferry.test/hooks/t/misa',
    headers: {},
    body: new TextEncoder().encode(JSON.stringify(body)),
  }
}

const ok = {
  org_refid: 'a',
  success: true,
  error_code: null,
  error_message: '',
  session_id: 's1',
  voucher_type: 18,
}
const refused = {
  org_refid: 'b',
  success: false,
  error_code: 'InvalidData',
  error_message: 'Đối tượng X không tồn tại (code secret-code)',
  session_id: 's1',
  voucher_type: 18,
}

describe('verify', () => {
  it('accepts hex(HMAC-SHA256(app_id, data))', async () => {
    await expect(webhooks.verify(ctx, delivery([ok]), [])).resolves.toEqual({})
  })

  it.each([
    ['a tampered data string', delivery([ok], { data: JSON.stringify([{ ...ok, success: false }]) })],
    ['a signature made with another key', delivery([ok], {}, 'another-app')],
    ['an upper-case but wrong signature', delivery([ok], { signature: 'A'.repeat(64) })],
    ['no signature', delivery([ok], { signature: undefined })],
    ['another app_id', delivery([ok], { app_id: 'someone-else' })],
    ['a non-JSON body', { method: 'POST', url: 'x', headers: {}, body: new TextEncoder().encode('hello') }],
  ])('refuses %s with an auth error', async (_name, req) => {
    await expect(webhooks.verify(ctx, req, [])).rejects.toMatchObject({ kind: 'auth' })
  })
})

describe('parse', () => {
  it('yields one outcome per voucher, failures with MISA’s code and a redacted message', async () => {
    const events = await webhooks.parse(ctx, delivery([ok, refused]))
    expect(events).toEqual([
      {
        type: 'outcome',
        outcome: expect.objectContaining({ correlationId: 'a', status: 'done', id: 'a' }),
        dedupeKey: 'misa:1:a:s1',
      },
      {
        type: 'outcome',
        outcome: expect.objectContaining({ correlationId: 'b', status: 'failed' }),
        dedupeKey: 'misa:1:b:s1',
      },
    ])
    const failed = events[1]!.type === 'outcome' ? events[1]!.outcome : undefined
    expect(failed).toMatchObject({ error: { kind: 'rejected', remoteCode: 'InvalidData' } })
    expect(JSON.stringify(failed)).not.toContain('secret-code')
  })

  it('maps delete callbacks (data_type 2) to delete correlation ids; VoucherNotFound counts as done', async () => {
    const events = await webhooks.parse(
      ctx,
      delivery([{ ...refused, error_code: 'VoucherNotFound' }], { data_type: 2 }),
    )
    expect(events[0]).toMatchObject({ outcome: { correlationId: 'delete:b', status: 'done' } })
  })

  it('maps master-data rows to dict correlation ids and an Exception to a transient failure', async () => {
    const events = await webhooks.parse(
      ctx,
      delivery([{ ...refused, dictionary_type: 1, org_refid: 'V1', error_code: 'Exception' }]),
    )
    expect(events[0]).toMatchObject({
      outcome: { correlationId: 'dict:1:V1', status: 'failed', error: { kind: 'transient' } },
    })
  })

  it('ignores ASP-only notifications', async () => {
    expect(await webhooks.parse(ctx, delivery([ok], { data_type: 4 }))).toEqual([])
  })
})

describe('reply', () => {
  it('answers with the PascalCase envelope MISA checks', () => {
    const reply = webhooks.reply!([])
    expect(reply.status).toBe(200)
    expect(JSON.parse(reply.body!)).toEqual({ Success: true, ErrorCode: null, ErrorMessage: '', Data: null })
  })
})
