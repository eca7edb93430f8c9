import { describe, expect, it } from 'vitest'
import { listOf, unwrapEnvelope } from './envelope.ts'

const env = (body: unknown) => JSON.stringify(body)

describe('unwrapEnvelope', () => {
  it('parses Data a second time when it is a JSON string', () => {
    const out = unwrapEnvelope(
      200,
      env({
        Success: true,
        ErrorCode: null,
        ErrorMessage: '',
        Data: '[{"a":1}]',
        CustomData: '{"LastSyncTime":"2026-01-01 00:00:00"}',
      }),
      'get_dictionary',
      [],
    )
    expect(out.data).toEqual([{ a: 1 }])
    expect(out.customData).toEqual({ LastSyncTime: '2026-01-01 00:00:00' })
  })

  it('keeps a plain-text Data (the save acknowledgement) as a string', () => {
    expect(
      unwrapEnvelope(200, env({ Success: true, Data: 'Hệ thống đã ghi nhận yêu cầu đồng bộ...' }), 'save', [])
        .data,
    ).toMatch(/ghi nhận/)
  })

  it('reads lower-case keys too', () => {
    expect(unwrapEnvelope(200, env({ success: true, data: '{"x":2}' }), 'f', []).data).toEqual({ x: 2 })
  })

  it.each([
    ['InvalidParam', 'rejected'],
    ['InvalidAppID', 'config'],
    ['AppIDDisconnect', 'config'],
    ['DBAmisNotConnectDBACT', 'config'],
    ['ExpiredToken', 'auth'],
    ['InvalidToken', 'auth'],
    ['Exception', 'transient'],
    ['VoucherNotFound', 'not_found'],
    ['SomethingNew', 'rejected'],
  ])('turns Success:false with %s at HTTP 200 into a %s error with MISA code and message', (code, kind) => {
    const run = () =>
      unwrapEnvelope(
        200,
        env({ Success: false, ErrorCode: code, ErrorMessage: 'Thông báo của MISA', Data: null }),
        'save',
        [],
      )
    expect(run).toThrow(
      expect.objectContaining({ kind, remoteCode: code, remoteMessage: 'Thông báo của MISA', status: 200 }),
    )
  })

  it('redacts secrets from MISA messages', () => {
    const run = () =>
      unwrapEnvelope(
        200,
        env({ Success: false, ErrorCode: 'InvalidParam', ErrorMessage: 'bad code SECRET-123' }),
        'f',
        ['SECRET-123'],
      )
    expect(run).toThrow(expect.objectContaining({ remoteMessage: 'bad code [redacted]' }))
  })

  it.each([
    [502, 'Bad Gateway', 'transient'],
    [200, '<html>', 'transient'],
    [404, 'Not Found', 'config'],
    [429, '', 'rate_limited'],
  ])('HTTP %d without an envelope is a %s error', (status, text, kind) => {
    expect(() => unwrapEnvelope(status, text, 'save', [])).toThrow(expect.objectContaining({ kind }))
  })
})

describe('listOf', () => {
  it('accepts an array or {PageData}', () => {
    expect(listOf([{ a: 1 }])).toHaveLength(1)
    expect(listOf({ PageData: [{ a: 1 }, { a: 2 }] })).toHaveLength(2)
    expect(listOf(null)).toEqual([])
  })
})
